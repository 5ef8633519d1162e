namespace Byot.Shared.Domain.Alerting;

/// <summary>An open incident of one of a test's dependencies: its own, or the one it joined (a dependency that is
/// itself down because of its dependency), so chains of dependents join the root's incident.</summary>
public sealed record DependencyIncident(Guid IncidentId, Guid DependencyTestId, string DependencyName, DateTimeOffset OpenedAt);
