using Byot.Shared.Domain;
using Byot.Shared.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Byot.Shared.Alerts;

/// <summary>Turns incident events into outbox rows for the channels the severity's route names, at the moment
/// each may go out (now, or when business hours open). Dedup keys make every write idempotent.</summary>
public sealed class NotificationPlanner(IOptions<AlertingOptions> options)
{
    private readonly BusinessHours hours = BusinessHours.Create(options.Value.BusinessHours);

    public BusinessHours Hours => hours;

    public async Task TriggerAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Incident incident, AlertRun run, string? detail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (channels, held) = Route(incident);
        var at = held ? hours.NextOpen(now) : now;
        foreach (var channel in channels)
        {
            await EnqueueAsync(connection, transaction, incident, NotificationKind.Trigger, channel, $"{incident.DedupKey}:trigger:{channel}", run, detail, at, now, 0, cancellationToken);
        }
    }

    /// <summary>A reminder goes to chat-like channels only: PagerDuty keeps paging through its own escalation, and a
    /// second trigger with the same dedup_key would be deduplicated there anyway.</summary>
    public async Task ReminderAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Incident incident, AlertRun? run, int number, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (channels, _) = Route(incident);
        foreach (var channel in channels.Where(c => options.Value.Channels[c].Type != AlertChannelType.PagerDuty))
        {
            await EnqueueAsync(connection, transaction, incident, NotificationKind.Reminder, channel, $"{incident.DedupKey}:reminder:{number}:{channel}", run, null, now, now, number, cancellationToken);
        }
    }

    /// <summary>The recovery notice. Channels whose trigger was still held (outside business hours) never heard of
    /// the incident: their trigger is withdrawn and they get no recovery notice either.</summary>
    public async Task ResolveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Incident incident, AlertRun? run, string? detail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var withdrawn = await AlertStore.SupersedeHeldAsync(connection, transaction, incident.Id, now, cancellationToken);
        var (channels, held) = Route(incident);
        var at = held ? hours.NextOpen(now) : now;
        foreach (var channel in channels.Where(c => !withdrawn.Contains(c)))
        {
            await EnqueueAsync(connection, transaction, incident, NotificationKind.Resolve, channel, $"{incident.DedupKey}:resolve:{channel}", run, detail, at, now, 0, cancellationToken);
        }
    }

    /// <summary>The route of an incident: its channels, and whether they wait for business hours.</summary>
    public (IReadOnlyList<string> Channels, bool BusinessHoursOnly) Route(Incident incident)
    {
        var o = options.Value;
        if (incident.Kind == Incident.OperatorKind)
        {
            return (o.Operator.ChannelNames, false);
        }

        var route = o.Route(Enum.Parse<Severity>(incident.Severity));
        return route.DigestOnly ? ([], false) : (route.ChannelNames, route.BusinessHoursOnly);
    }

    private static async Task EnqueueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Incident incident, string kind, string channel, string dedupKey,
        AlertRun? run, string? detail, DateTimeOffset at, DateTimeOffset now, int reminder, CancellationToken cancellationToken)
    {
        var payload = new AlertPayload(
            kind, incident.Kind, incident.Id, incident.DedupKey, incident.TestId, run?.TestName, incident.Severity,
            incident.FailingSince, incident.FailureCount, run?.RunId, run?.Status.ToName(), run?.ExitCode,
            detail ?? run?.Error, run?.LogBlob, run?.LogBytes ?? 0, now, reminder);
        await AlertStore.EnqueueAsync(connection, transaction,
            new OutboxNotification(Guid.NewGuid(), incident.Id, kind, channel, dedupKey, payload, "pending", 0, at, null, null),
            cancellationToken);
    }
}
