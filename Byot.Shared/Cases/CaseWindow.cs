namespace Byot.Shared.Cases;

/// <summary>A case over a test's recent runs on one artifact version: its final status in each (newest first), and
/// whether it passed only after failing within that run (a retry of the test, or its framework's own retry).</summary>
public sealed record CaseWindow(
    string CaseId,
    string Key,
    string Suite,
    string Name,
    IReadOnlyList<string> Statuses,
    IReadOnlyList<bool> PassedOnRetry,
    DateTimeOffset LastSeenAt);
