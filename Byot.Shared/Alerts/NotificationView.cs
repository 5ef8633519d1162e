namespace Byot.Shared.Alerts;

/// <summary>One outbox row as the API shows it.</summary>
public sealed record NotificationView(
    Guid Id,
    string Kind,
    string Channel,
    string Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    int? LastStatusCode,
    string? LastError);
