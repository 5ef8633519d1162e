namespace Byot.Shared.Domain.Alerting;

/// <summary>One more failure of an open incident: counted, paging nobody.</summary>
public sealed record IncidentFailure(Guid IncidentId, Guid RunId) : IncidentStep;
