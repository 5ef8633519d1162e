namespace Byot.Shared.Domain.Alerting;

/// <summary>A failing case as an alert names it.</summary>
/// <param name="New">It did not fail in the test's previous counted run (it passed there, or was not seen before).</param>
/// <param name="FailingSince">When the run it started failing in (within the window looked at) was queued.</param>
public sealed record AlertCase(string Name, bool New, DateTimeOffset FailingSince, bool Flaky, bool Quarantined);
