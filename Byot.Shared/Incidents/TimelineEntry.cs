namespace Byot.Shared.Incidents;

/// <summary>One line of an incident's timeline. <see cref="Type"/> is <c>opened</c>, <c>notification</c>,
/// <c>reminder</c>, <c>escalation</c>, <c>recovery_notice</c>, <c>acknowledged</c>, <c>dependent_joined</c>,
/// <c>dependent_recovered</c>, <c>maintenance_held</c>, <c>maintenance_released</c>, <c>maintenance_dropped</c> or
/// <c>resolved</c>; <see cref="Text"/> says it in
/// one sentence; the other fields carry the details of its type.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Type, string Text)
{
    public const string OpenedType = "opened";
    public const string NotificationType = "notification";
    public const string ReminderType = "reminder";
    public const string RecoveryNoticeType = "recovery_notice";
    public const string EscalationType = "escalation";
    public const string AcknowledgedType = "acknowledged";
    public const string ResolvedType = "resolved";
    public const string DependentJoinedType = "dependent_joined";
    public const string DependentRecoveredType = "dependent_recovered";
    public const string MaintenanceHeldType = "maintenance_held";
    public const string MaintenanceReleasedType = "maintenance_released";
    public const string MaintenanceDroppedType = "maintenance_dropped";

    /// <summary>For the <c>maintenance_*</c> types: the mute window's name.</summary>
    public string? Window { get; init; }

    /// <summary>For <c>maintenance_held</c>: when the window ends.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>For the <c>maintenance_*</c> types: what was held, <c>page</c>, <c>reminder</c> or <c>escalation</c>.</summary>
    public string? Held { get; init; }

    /// <summary>For <c>dependent_joined</c> and <c>dependent_recovered</c>: the dependent test.</summary>
    public Guid? TestId { get; init; }

    public IReadOnlyList<IncidentRun>? Runs { get; init; }

    public Guid? RunId { get; init; }

    public string? Channel { get; init; }

    public string? Status { get; init; }

    public int? Attempts { get; init; }

    public int? StatusCode { get; init; }

    public string? Error { get; init; }

    public string? By { get; init; }

    public string? Note { get; init; }
}
