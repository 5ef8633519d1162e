namespace Byot.Shared.Domain.Alerting;

/// <summary>Resolve the incident and record its resolve event naming <paramref name="Run"/>, unless it was resolved
/// already.</summary>
public sealed record IncidentResolution(Guid IncidentId, AlertRun Run) : IncidentStep;
