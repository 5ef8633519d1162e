namespace Byot.Shared.Runs;

/// <summary>One step of following a run's log: a line (and the byte offset just past it, to resume from), the end
/// of the run, or — when <see cref="Paused"/> is set — the end of this response's time budget while the run goes on
/// (<see cref="Status"/> says how it stands; the client resumes from <see cref="Offset"/>).</summary>
public sealed record LogEvent(string? Line, long Offset, RunView? Finished, string? Paused = null)
{
    public bool IsEnd => Finished is not null;

    public bool IsPause => Paused is not null;
}
