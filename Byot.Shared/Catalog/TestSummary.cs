namespace Byot.Shared.Catalog;

/// <summary>A test in the list: its definition, its last finished run, and its state at a glance
/// (<c>passing</c>, <c>failing</c>, <c>never_run</c>, <c>disabled</c>).</summary>
public sealed record TestSummary(TestView Test, LastRunView? LastRun, string State);
