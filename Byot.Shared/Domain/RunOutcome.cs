namespace Byot.Shared.Domain;

/// <summary>The final observation a runner records for a run.</summary>
public sealed record RunOutcome(
    RunStatus Status,
    int? ExitCode,
    long DurationMs,
    long LogBytes,
    bool LogTruncated,
    string? Error);
