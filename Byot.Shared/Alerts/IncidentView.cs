namespace Byot.Shared.Alerts;

/// <summary>An incident as the API shows it, with what was sent about it.</summary>
public sealed record IncidentView(
    Guid Id,
    string Severity,
    string DedupKey,
    DateTimeOffset FailingSince,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ResolvedAt,
    int FailureCount,
    int RemindersSent,
    IReadOnlyList<NotificationView> Notifications);
