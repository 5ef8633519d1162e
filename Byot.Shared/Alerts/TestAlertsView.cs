namespace Byot.Shared.Alerts;

/// <summary>GET /tests/{id}/alerts: the test's alert state (streaks, flakiness) and its recent incidents.</summary>
public sealed record TestAlertsView(
    Guid TestId,
    bool Flaky,
    int Flips,
    int ConsecutiveFailures,
    int ConsecutivePasses,
    DateTimeOffset? FailingSince,
    int FailureThreshold,
    IncidentView? OpenIncident,
    IReadOnlyList<IncidentView> Incidents);
