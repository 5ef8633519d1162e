namespace Byot.Shared.Domain.Alerting;

/// <summary>A test that runs from several locations: how many must be failing before an incident opens
/// (<paramref name="Required"/>, k; more than it has means all of them) and each location's recent results.</summary>
public sealed record LocationHistory(int Required, IReadOnlyList<LocationStreak> Streaks);
