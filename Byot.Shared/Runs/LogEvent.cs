namespace Byot.Shared.Runs;

/// <summary>One step of following a run's log: a line (and the byte offset just past it, to resume from), or the
/// end of the run.</summary>
public sealed record LogEvent(string? Line, long Offset, RunView? Finished)
{
    public bool IsEnd => Finished is not null;
}
