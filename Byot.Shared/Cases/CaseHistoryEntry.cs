namespace Byot.Shared.Cases;

/// <summary>A case in one run: its final attempt's result, and how many earlier attempts of the run it failed.</summary>
public sealed record CaseHistoryEntry(
    Guid RunId,
    DateTimeOffset QueuedAt,
    int ArtifactVersion,
    string RunStatus,
    string Status,
    int Attempt,
    int FailedAttempts,
    long? DurationMs,
    string? Message);
