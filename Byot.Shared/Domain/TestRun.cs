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
    string Location = Byot.Shared.Locations.LocationNames.Default);
