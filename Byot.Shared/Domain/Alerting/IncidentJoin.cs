namespace Byot.Shared.Domain.Alerting;

/// <summary>A failing dependent joins its dependency's open incident instead of opening its own: listed on it, paging
/// nobody. It may not take (the incident resolved meanwhile): then the result is decided again.</summary>
public sealed record IncidentJoin(DependencyIncident Dependency, AlertRun Run) : IncidentStep;
