namespace Byot.Shared.Cases;

/// <summary>The outcome of one case: <c>errored</c> is a case that could not run to an assertion (JUnit's
/// <c>&lt;error&gt;</c>, a Go panic), kept apart from an assertion that failed.</summary>
public enum CaseStatus
{
    Passed,
    Failed,
    Skipped,
    Errored,
}
