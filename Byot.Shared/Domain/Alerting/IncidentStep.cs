namespace Byot.Shared.Domain.Alerting;

/// <summary>One change to an incident that a decision asks for.</summary>
public abstract record IncidentStep;
