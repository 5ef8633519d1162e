namespace Byot.Shared.Incidents;

/// <summary>Something a person did to an incident: <c>acknowledged</c> or <c>resolved_by_hand</c>.</summary>
public sealed record IncidentEvent(Guid Id, DateTimeOffset At, string Kind, string? Actor, string? Note)
{
    public const string AcknowledgedKind = "acknowledged";
    public const string ResolvedByHandKind = "resolved_by_hand";
}
