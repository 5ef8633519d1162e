namespace Byot.Shared.Incidents;

/// <summary>One notification about an incident on one channel, as the timeline shows it. <see cref="At"/> is when it
/// was sent, failed for good, or is (or was last) due.</summary>
public sealed record IncidentNotification(
    Guid Id, string Kind, string Channel, string Status, int Attempts, DateTimeOffset At, int? StatusCode, string? Error, int Reminder, int Stage = 0);
