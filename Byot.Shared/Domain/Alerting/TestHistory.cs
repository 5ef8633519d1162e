namespace Byot.Shared.Domain.Alerting;

/// <summary>What a counted result is decided against: the test's alert state before it, and its most recent counted
/// runs, newest first, this one included.</summary>
public sealed record TestHistory(AlertState State, IReadOnlyList<CountedResult> Recent);
