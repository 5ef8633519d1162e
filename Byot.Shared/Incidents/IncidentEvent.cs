namespace Byot.Shared.Incidents;

/// <summary>Something that happened to an incident that no other table records: a person's <c>acknowledged</c> or
/// <c>resolved_by_hand</c>, or a <c>maintenance_hold</c> (a mute window holding its page, a reminder or an escalation;
/// <see cref="Note"/> says which, <see cref="WindowName"/> and <see cref="HeldUntil"/> by what and until when).</summary>
public sealed record IncidentEvent(Guid Id, DateTimeOffset At, string Kind, string? Actor, string? Note)
{
    public const string AcknowledgedKind = "acknowledged";
    public const string ResolvedByHandKind = "resolved_by_hand";
    public const string MaintenanceHoldKind = "maintenance_hold";

    /// <summary>What a maintenance hold held (its <see cref="Note"/>).</summary>
    public const string HeldPage = "page";
    public const string HeldReminder = "reminder";
    public const string HeldEscalation = "escalation";

    public string? WindowName { get; init; }

    public DateTimeOffset? HeldUntil { get; init; }
}
