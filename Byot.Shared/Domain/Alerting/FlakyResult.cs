namespace Byot.Shared.Domain.Alerting;

/// <summary>One result as <see cref="FlakyRule"/> sees it: failed or not, and whether it passed only after failing
/// within its run (a retry of the test, or the framework's own retry of a case).</summary>
public sealed record FlakyResult(bool Failed, bool PassedOnRetry);
