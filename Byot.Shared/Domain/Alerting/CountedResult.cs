namespace Byot.Shared.Domain.Alerting;

/// <summary>One counted run (see <see cref="CountedStatuses"/>) as flakiness sees it: failed or passed, and how it was
/// started (a pass of a <c>retry</c> right after a failure is flaky on its own), and whether it passed only on one of
/// the test's own retries inside the run, or with a case its framework retried (<c>runs.flaky</c>): flaky on its own.</summary>
public sealed record CountedResult(bool Failed, string Trigger, bool PassedOnRetry = false);
