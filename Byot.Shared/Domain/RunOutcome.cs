namespace Byot.Shared.Domain;

/// <summary>The final observation a runner records for a run. <paramref name="Tries"/> counts the test's own attempts
/// (its retries); <paramref name="Cases"/> is what their reports said, if anything.</summary>
public sealed record RunOutcome(
    RunStatus Status,
    int? ExitCode,
    long DurationMs,
    long LogBytes,
    bool LogTruncated,
    string? Error,
    Cases.RunCases? Cases = null,
    int Tries = 1);
