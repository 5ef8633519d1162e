
namespace Byot.Shared.Domain;

/// <summary>A run is flaky when it passed only after failing within itself: on one of the test's retries, or with a
/// case its own framework retried into a pass (Playwright's <c>flaky</c>, Surefire's <c>flakyFailure</c>).</summary>
public static class RunFlakiness
{
    public static bool IsFlaky(RunOutcome outcome) =>
        outcome.Status == RunStatus.Passed
        && (outcome.Tries > 1 || outcome.Cases is { Attempts.Count: > 0 } cases && cases.Attempts[^1].Cases.Any(c => c.Flaky));
}
