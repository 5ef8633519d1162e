namespace Byot.Shared.Domain.Alerting;

/// <summary>A dependent that had joined <paramref name="IncidentId"/> passed again; the incident notes it.</summary>
public sealed record DependentRecovery(Guid IncidentId, AlertRun Run) : IncidentStep;
