namespace Byot.Shared.Domain.Alerting;

/// <summary>One message to one channel, as the outbox holds it.</summary>
public sealed record OutboxNotification(
    Guid Id,
    Guid? IncidentId,
    string Kind,
    string Channel,
    string DedupKey,
    AlertPayload Payload,
    string Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    int? LastStatusCode,
    string? LastError);
