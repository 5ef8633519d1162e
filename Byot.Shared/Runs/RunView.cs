using Byot.Shared.Domain;

namespace Byot.Shared.Runs;

/// <summary>A run as the API shows it. <see cref="DurationMs"/> is container start to exit as the engine measured
/// it; <see cref="StartLatenessMs"/> is how long after its schedule slot a scheduled run's container started.</summary>
public sealed record RunView(
    Guid Id,
    Guid TestId,
    string Trigger,
    string Status,
    int? ExitCode,
    int Attempt,
    int ArtifactVersion,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    long? DurationMs,
    DateTimeOffset? ScheduledFor,
    long? StartLatenessMs,
    long LogBytes,
    bool LogTruncated,
    string? Error,
    RunLinks Links)
{
    /// <summary>How the container was isolated (<c>runc</c>, <c>gvisor</c>, or runc with the reason gVisor was not
    /// used); null until the run started.</summary>
    public string? Isolation { get; init; }

    /// <summary>What the run's cases add up to, <c>{passed, failed, skipped, errored}</c> (its last attempt's);
    /// null when the test reported no cases (docs/cases.md).</summary>
    public Cases.CaseCounts? Cases { get; init; }

    public bool CasesTruncated { get; init; }

    /// <summary>The test's own attempts in this run; above 1 when it was retried.</summary>
    public int Tries { get; init; } = 1;

    /// <summary>Passed only on a retry (of the test, or of a case by its framework).</summary>
    public bool Flaky { get; init; }

    /// <summary>The result was recorded while a mute maintenance window covered the test: it does not count in uptime.</summary>
    public bool InMaintenance { get; init; }

    /// <summary>The location the run ran (or will run) from.</summary>
    public string Location { get; init; } = Byot.Shared.Locations.LocationNames.Default;

    /// <summary>Only in the answer of <c>POST /run/{id}</c>: every run the call queued or found waiting, one per
    /// location (this one first).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<RunView>? Runs { get; init; }

    public static RunView From(TestRun run) => new(
        run.Id, run.TestId, run.Trigger, run.Status.ToName(), run.ExitCode, run.Attempt, run.ArtifactVersion,
        run.QueuedAt, run.StartedAt, run.FinishedAt, run.DurationMs, run.ScheduledFor, StartLateness(run), run.LogBytes, run.LogTruncated, run.Error,
        RunLinks.For(run.Id))
    {
        Isolation = run.Isolation,
        Cases = run.Cases,
        CasesTruncated = run.CasesTruncated,
        Tries = run.Tries,
        Flaky = run.Flaky,
        InMaintenance = run.InMaintenance,
        Location = run.Location,
    };

    private static long? StartLateness(TestRun run) =>
        run is { ScheduledFor: { } slot, StartedAt: { } started } ? (long)Math.Round((started - slot).TotalMilliseconds) : null;
}
