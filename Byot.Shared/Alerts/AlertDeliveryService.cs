using System.Collections.Concurrent;
using Byot.Shared.Domain;
using Byot.Shared.Domain.Alerting;
using Byot.Shared.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Alerts;

/// <summary>Drains the outbox: writes due reminders, then sends what is due. Failures that may pass (429, 5xx,
/// timeouts) go back with exponential backoff up to a cap and a maximum number of attempts; an endpoint that refuses
/// the message (400 and other 4xx) fails it at once, with the reason kept. Safe to run on many instances at once.</summary>
public sealed partial class AlertDeliveryService(
    OutboxStore outbox,
    UnitOfWorkFactory units,
    NotificationPlanner planner,
    Maintenance.MuteCalendar mutes,
    AlertRenderer renderer,
    IEnumerable<INotificationSender> senders,
    IOptions<AlertingOptions> options,
    TimeProvider time,
    ILogger<AlertDeliveryService> logger)
{
    private const int MaxParallelSends = 8;

    private readonly Dictionary<AlertChannelType, INotificationSender> byType = senders.ToDictionary(s => s.Type);

    public async Task<DeliveryPass> DeliverAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        await RouteEventsAsync(now, cancellationToken);
        var reminders = await EnqueueRemindersAsync(now, cancellationToken);
        await EnqueueEscalationsAsync(now, cancellationToken);
        var claimed = await outbox.ClaimDueAsync(now, now.AddSeconds(o.Delivery.ClaimSeconds), o.Delivery.BatchSize, cancellationToken);
        var outcomes = new ConcurrentBag<string>();

        // One incident and channel at a time, in order; different ones in parallel.
        var lanes = claimed.GroupBy(n => (n.IncidentId, n.Channel)).ToList();
        await Parallel.ForEachAsync(lanes, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelSends, CancellationToken = cancellationToken },
            async (lane, token) =>
            {
                foreach (var notification in lane)
                {
                    outcomes.Add(await DeliverOneAsync(notification, token));
                }
            });

        return new DeliveryPass(reminders, outcomes.Count(s => s == "sent"), outcomes.Count(s => s == "pending"), outcomes.Count(s => s == "failed"));
    }

    /// <summary>Delay before attempt <paramref name="attempts"/> + 1: base × 2^(attempts − 1), at least what the
    /// endpoint asked for in Retry-After, never more than the cap.</summary>
    public static TimeSpan Backoff(AlertDeliveryOptions delivery, int attempts, TimeSpan? retryAfter)
    {
        var exponent = Math.Min(Math.Max(attempts - 1, 0), 30);
        var seconds = Math.Min((double)delivery.BaseDelaySeconds * Math.Pow(2, exponent), delivery.MaxDelaySeconds);
        if (retryAfter is { } asked && asked.TotalSeconds > seconds)
        {
            seconds = Math.Min(asked.TotalSeconds, delivery.MaxDelaySeconds);
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private async Task<string> DeliverOneAsync(OutboxNotification notification, CancellationToken cancellationToken)
    {
        var o = options.Value;
        DeliveryResult result;
        if (!o.Channels.TryGetValue(notification.Channel, out var channel) || !byType.TryGetValue(channel.Type, out var sender))
        {
            result = DeliveryResult.Permanent(null, $"Channel '{notification.Channel}' is no longer configured.");
        }
        else
        {
            try
            {
                var message = await renderer.RenderAsync(notification.Payload, cancellationToken);
                result = await sender.SendAsync(channel, notification, message, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                result = DeliveryResult.Transient(null, e.GetType().Name + ": " + e.Message);
            }
        }

        var now = time.GetUtcNow();
        if (result.Success)
        {
            await outbox.MarkSentAsync(notification.Id, result.StatusCode, now, cancellationToken);
            LogSent(notification.Kind, notification.Channel, notification.Id, notification.Attempts);
            return "sent";
        }

        if (result.Retryable && notification.Attempts < o.Delivery.MaxAttempts)
        {
            var next = now + Backoff(o.Delivery, notification.Attempts, result.RetryAfter);
            await outbox.MarkRetryAsync(notification.Id, result.StatusCode, result.Error ?? "failed", next, cancellationToken);
            LogRetry(notification.Kind, notification.Channel, notification.Id, notification.Attempts, result.Error, next);
            return "pending";
        }

        var reason = result.Retryable
            ? $"Gave up after {notification.Attempts} attempts; last: {result.Error}"
            : result.Error ?? "failed";
        await outbox.MarkFailedAsync(notification.Id, result.StatusCode, reason, now, cancellationToken);
        LogFailed(notification.Kind, notification.Channel, notification.Id, reason);
        return "failed";
    }

    /// <summary>Routes the incident events run completion recorded into one notification per channel.</summary>
    private async Task RouteEventsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var unit = await units.BeginAsync(cancellationToken);
        foreach (var evt in await AlertStore.LockUnroutedAsync(unit, options.Value.Delivery.BatchSize, cancellationToken))
        {
            await planner.RouteAsync(unit, evt, now, cancellationToken);
        }

        await unit.CommitAsync(cancellationToken);
    }

    /// <summary>Open incidents whose reminder is due get one reminder each (on business-hours routes only while the
    /// window is open: one reminder when it opens, not a pile from the night).</summary>
    private async Task<int> EnqueueRemindersAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var unit = await units.BeginAsync(cancellationToken);
        var due = await AlertStore.LockDueRemindersAsync(unit, now, options.Value.Delivery.BatchSize, cancellationToken);
        var count = 0;
        foreach (var (incident, run) in due)
        {
            var route = options.Value.Route(Enum.Parse<Severity>(incident.Severity));
            var minutes = run?.ReminderMinutes ?? route.ReminderMinutes;
            if (incident.Kind != Incident.TestKind || route.DigestOnly || minutes <= 0)
            {
                await AlertStore.SetReminderAsync(unit, incident.Id, null, incident.RemindersSent, cancellationToken);
                continue;
            }

            if (await mutes.HeldAsync(incident.TestId, now, cancellationToken) is { } muted)
            {
                // Open before the window began: it stays open, and its reminders wait for the window to end.
                await AlertStore.SetReminderAsync(unit, incident.Id, muted.Until, incident.RemindersSent, cancellationToken);
                await IncidentStore.AddMaintenanceHoldAsync(unit, incident.Id, now, Incidents.IncidentEvent.HeldReminder, muted.WindowName, muted.Until, cancellationToken);
                continue;
            }

            if (route.BusinessHoursOnly && !planner.Hours.IsOpen(now))
            {
                await AlertStore.SetReminderAsync(unit, incident.Id, planner.Hours.NextOpen(now), incident.RemindersSent, cancellationToken);
                continue;
            }

            var number = incident.RemindersSent + 1;
            await planner.ReminderAsync(unit, incident, run, number, now, cancellationToken);
            await AlertStore.SetReminderAsync(unit, incident.Id, now.AddMinutes(minutes), number, cancellationToken);
            count++;
        }

        await unit.CommitAsync(cancellationToken);
        return count;
    }

    /// <summary>Open, unacknowledged incidents whose next stage is due reach that stage's channels. The row lock, the
    /// advanced stage written in the same transaction and the per-stage dedup keys make a second instance or a retried
    /// tick a no-op. A mute window or closed business hours hold the stage until they end, as they hold reminders.</summary>
    private async Task EnqueueEscalationsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var unit = await units.BeginAsync(cancellationToken);
        foreach (var (incident, run, pagedAt, sent) in await AlertStore.LockDueEscalationsAsync(unit, now, options.Value.Delivery.BatchSize, cancellationToken))
        {
            var stages = planner.Stages(incident);
            if (sent >= stages.Count)
            {
                // The configuration lost stages since this one was scheduled.
                await AlertStore.SetEscalationAsync(unit, incident.Id, null, null, sent, cancellationToken);
                continue;
            }

            if (await mutes.HeldAsync(incident.TestId, now, cancellationToken) is { } muted)
            {
                await AlertStore.SetEscalationAsync(unit, incident.Id, null, muted.Until, sent, cancellationToken);
                await IncidentStore.AddMaintenanceHoldAsync(unit, incident.Id, now, Incidents.IncidentEvent.HeldEscalation, muted.WindowName, muted.Until, cancellationToken);
                continue;
            }

            if (planner.BusinessHoursOnly(incident) && !planner.Hours.IsOpen(now))
            {
                await AlertStore.SetEscalationAsync(unit, incident.Id, null, planner.Hours.NextOpen(now), sent, cancellationToken);
                continue;
            }

            var stage = stages[sent];
            await NotificationPlanner.EscalateAsync(unit, incident, run, sent + 2, stage.ChannelNames, now, cancellationToken);
            DateTimeOffset? next = null;
            if (sent + 1 < stages.Count)
            {
                // On schedule from the first page; after a hold, the gap between the stages still passes.
                var following = stages[sent + 1];
                var scheduled = pagedAt.AddMinutes(following.AfterMinutes);
                var spaced = now.AddMinutes(following.AfterMinutes - stage.AfterMinutes);
                next = scheduled > now ? scheduled : spaced;
            }

            await AlertStore.SetEscalationAsync(unit, incident.Id, null, next, sent + 1, cancellationToken);
            LogEscalated(incident.Id, sent + 2, string.Join(",", stage.ChannelNames));
        }

        await unit.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident {IncidentId} escalated to stage {Stage} ({Channels}): still unacknowledged")]
    private partial void LogEscalated(Guid incidentId, int stage, string channels);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Kind} notification to {Channel} ({NotificationId}, attempt {Attempt})")]
    private partial void LogSent(string kind, string channel, Guid notificationId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} notification to {Channel} ({NotificationId}) failed on attempt {Attempt}: {Error}; retrying at {Next}")]
    private partial void LogRetry(string kind, string channel, Guid notificationId, int attempt, string? error, DateTimeOffset next);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Kind} notification to {Channel} ({NotificationId}) failed for good: {Reason}")]
    private partial void LogFailed(string kind, string channel, Guid notificationId, string reason);
}
