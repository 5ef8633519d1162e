namespace Byot.Shared.Alerts;

/// <summary>GET /tests/{id}/alerts: the test's alert policy (effective values: its own, else its severity's), its
/// alert state (streaks, flakiness) and its recent incidents.</summary>
public sealed record TestAlertsView(
    Guid TestId,
    string Severity,
    bool Flaky,
    int Flips,
    int ConsecutiveFailures,
    int ConsecutivePasses,
    DateTimeOffset? FailingSince,
    int FailureThreshold,
    int ReminderMinutes,
    int ResolveAfterPasses,
    IncidentView? OpenIncident,
    IReadOnlyList<IncidentView> Incidents);
