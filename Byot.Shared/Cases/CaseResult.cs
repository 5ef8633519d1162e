namespace Byot.Shared.Cases;

/// <summary>One test case as a report or a test's output gave it.</summary>
/// <param name="Key">Stable across runs: the normalised suite and name (<see cref="CaseKeys"/>).</param>
/// <param name="Flaky">Passed only after failing within the same run (Playwright's own retries, Surefire's
/// <c>flakyFailure</c>).</param>
/// <param name="Output">The first lines the case printed, or its failure detail; bounded by <see cref="CaseLimits"/>.</param>
public sealed record CaseResult(
    string Key,
    string Suite,
    string Name,
    CaseStatus Status,
    long? DurationMs,
    string? Message,
    string? Output,
    bool Flaky = false,
    int Retries = 0);
