namespace Byot.Shared.Domain;

/// <summary>One execution of a test and what was observed.</summary>
public sealed record TestRun(
    Guid Id,
    Guid TestId,
    string Trigger,
    int ArtifactVersion,
    int Attempt,
    RunStatus Status,
    string? RunnerId,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    long? DurationMs,
    int? ExitCode,
    string? LogBlobName,
    long LogBytes,
    bool LogTruncated,
    string? Error,
    DateTimeOffset? ScheduledFor = null,
    string? Isolation = null,
    string Location = Byot.Shared.Locations.LocationNames.Default)
{
    /// <summary>What the run's cases add up to (its last attempt's); null when it reported none.</summary>
    public Cases.CaseCounts? Cases { get; init; }

    public bool CasesTruncated { get; init; }

    /// <summary>The test's own attempts in this run (1 + retries used).</summary>
    public int Tries { get; init; } = 1;

    /// <summary>Passed only on a retry, or a case in it did (docs/cases.md).</summary>
    public bool Flaky { get; init; }

    /// <summary>Recorded while a mute maintenance window covered the test: left out of uptime (docs/maintenance.md).</summary>
    public bool InMaintenance { get; init; }
}
