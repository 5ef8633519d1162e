namespace Byot.Shared.Domain.Alerting;

/// <summary>A case that failed (or errored) in the run being decided, with what the decision needs to describe it.</summary>
/// <param name="Quarantined">A quarantine on it is in force now (no expiry, or one after now).</param>
/// <param name="Earlier">Its results in the test's earlier counted runs on the same artifact content, newest first,
/// runs it was not in and skipped results left out; bounded by the flaky window.</param>
/// <param name="EarlierQueuedAt">When each of <paramref name="Earlier"/>'s runs was queued.</param>
public sealed record FailingCase(string CaseId, string Name, bool Quarantined, IReadOnlyList<FlakyResult> Earlier, IReadOnlyList<DateTimeOffset> EarlierQueuedAt);
