using Byot.Shared.Domain;
using Byot.Shared.Domain.Alerting;
using Byot.Shared.Incidents;
using Byot.Shared.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Alerts;

/// <summary>Routing. Run completion records incident events on the '@route' channel in the result's transaction; the
/// delivery side routes each into one outbox row per channel the severity's route and the test's tag routes name,
/// due at once or when business hours open, with the configuration of the process that sends. Dedup keys make every write idempotent.</summary>
public sealed class NotificationPlanner(IOptions<AlertingOptions> options, Maintenance.MuteCalendar mutes, TagStore tags)
{
    /// <summary>The channel of events not routed yet.</summary>
    public const string RouteChannel = "@route";

    private readonly BusinessHours hours = BusinessHours.Create(options.Value.BusinessHours);

    public BusinessHours Hours => hours;

    /// <summary>Routes one event: a trigger to every channel of the route (and the first reminder scheduled), a
    /// resolve to every channel that heard of the incident.</summary>
    public async Task RouteAsync(UnitOfWork unit, OutboxNotification evt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (evt.IncidentId is { } id && await AlertStore.FindIncidentAsync(unit, id, cancellationToken) is { } incident)
        {
            if (evt.Kind == NotificationKind.Trigger)
            {
                await TriggerAsync(unit, incident, evt.Payload, now, cancellationToken);
            }
            else if (evt.Kind == NotificationKind.Resolve)
            {
                await ResolveAsync(unit, incident, evt.Payload, cancellationToken);
            }
        }

        await AlertStore.MarkRoutedAsync(unit, evt.Id, cancellationToken);
    }

    /// <summary>A reminder goes to chat-like channels only: PagerDuty and Opsgenie keep paging through their own
    /// escalation, and a second trigger with the same dedup key (alias) would be deduplicated there anyway.</summary>
    public async Task ReminderAsync(UnitOfWork unit, Incident incident, AlertRun? run, int number, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (channels, _) = await ChannelsAsync(incident, cancellationToken);
        var payload = AlertPayload.For(NotificationKind.Reminder, incident, run, null, now, number);
        foreach (var channel in channels.Where(c => !AlertingOptions.IsPager(options.Value.Channels[c].Type)))
        {
            await EnqueueAsync(unit, incident, payload, channel, $"{incident.DedupKey}:reminder:{number}:{channel}", now, cancellationToken);
        }
    }

    /// <summary>Stage <paramref name="stage"/> (2 for the first escalation: the route's own channels are stage 1) to
    /// the stage's channels, one row per channel under a dedup key of its own, so a retried tick adds nothing.</summary>
    public static async Task EscalateAsync(UnitOfWork unit, Incident incident, AlertRun? run, int stage, IReadOnlyList<string> channels, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var payload = AlertPayload.For(NotificationKind.Escalation, incident, run, null, now) with { Stage = stage };
        foreach (var channel in channels)
        {
            await EnqueueAsync(unit, incident, payload, channel, $"{incident.DedupKey}:escalation:{stage}:{channel}", now, cancellationToken);
        }
    }

    /// <summary>The later stages of a test incident's route; operator incidents do not escalate.</summary>
    public IReadOnlyList<EscalationStageOptions> Stages(Incident incident) =>
        incident.Kind == Incident.TestKind && options.Value.Route(Enum.Parse<Severity>(incident.Severity)) is { DigestOnly: false } route
            ? route.Escalation
            : [];

    /// <summary>Whether the incident's notifications wait for business hours (its severity route's setting).</summary>
    public bool BusinessHoursOnly(Incident incident) =>
        incident.Kind == Incident.TestKind && options.Value.Route(Enum.Parse<Severity>(incident.Severity)) is { DigestOnly: false, BusinessHoursOnly: true };

    /// <summary>The route of an incident: its channels (the severity route's and the test's tag routes'), and whether
    /// they wait for business hours.</summary>
    public async Task<(IReadOnlyList<string> Channels, bool BusinessHoursOnly)> ChannelsAsync(Incident incident, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (incident.Kind == Incident.OperatorKind)
        {
            return (o.Operator.ChannelNames, false);
        }

        var severity = Enum.Parse<Severity>(incident.Severity);
        IReadOnlyCollection<string> testTags = [];
        if (o.TagRoutes.Count > 0 && incident.TestId is { } testId)
        {
            testTags = (await tags.ForTestsAsync([testId], cancellationToken)).GetValueOrDefault(testId) ?? [];
        }

        return (o.RouteChannels(severity, testTags), BusinessHoursOnly(incident));
    }

    /// <summary>Hold decisions use the moment of the event, not of routing: a failure at 16:59:59 is in hours.</summary>
    private async Task TriggerAsync(UnitOfWork unit, Incident incident, AlertPayload payload, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (channels, held) = await ChannelsAsync(incident, cancellationToken);

        // A mute window holds the trigger like business hours do: if the incident resolves first, it is withdrawn.
        var muted = await mutes.HeldAsync(incident.TestId, payload.At, cancellationToken);
        if (muted is not null && channels.Count > 0)
        {
            await IncidentStore.AddMaintenanceHoldAsync(unit, incident.Id, payload.At, IncidentEvent.HeldPage, muted.WindowName, muted.Until, cancellationToken);
        }

        var from = muted?.Until ?? payload.At;
        var at = held ? hours.NextOpen(from) : from;
        foreach (var channel in channels)
        {
            await EnqueueAsync(unit, incident, payload, channel, $"{incident.DedupKey}:trigger:{channel}", at, cancellationToken);
        }

        var stages = Stages(incident);
        if (incident.ResolvedAt is null && channels.Count > 0 && stages.Count > 0)
        {
            // The stage delays count from the first page, which a hold (business hours, a mute window) moves later.
            await AlertStore.SetEscalationAsync(unit, incident.Id, at, at.AddMinutes(stages[0].AfterMinutes), 0, cancellationToken);
        }

        if (incident.Kind == Incident.TestKind && incident.ResolvedAt is null && incident.TestId is { } testId && channels.Count > 0)
        {
            var minutes = await AlertStore.ReminderOverrideAsync(unit, testId, cancellationToken)
                ?? options.Value.Route(Enum.Parse<Severity>(incident.Severity)).ReminderMinutes;
            if (minutes > 0)
            {
                await AlertStore.SetReminderAsync(unit, incident.Id, (at > now ? at : now).AddMinutes(minutes), 0, cancellationToken);
            }
        }
    }

    /// <summary>The recovery notice, to exactly the channels a trigger or an escalation of the incident reached, as
    /// stored (so a tag changed in between does not move it). Channels whose trigger (or escalation) was still held
    /// when the incident resolved never heard of it: it is withdrawn and they get no recovery notice either.</summary>
    private async Task ResolveAsync(UnitOfWork unit, Incident incident, AlertPayload payload, CancellationToken cancellationToken)
    {
        await AlertStore.SupersedeHeldAsync(unit, incident.Id, payload.At, cancellationToken);
        var at = BusinessHoursOnly(incident) ? hours.NextOpen(payload.At) : payload.At;
        var heard = await AlertStore.HeardChannelsAsync(unit, incident.Id, cancellationToken);
        foreach (var channel in heard)
        {
            await EnqueueAsync(unit, incident, payload, channel, $"{incident.DedupKey}:resolve:{channel}", at, cancellationToken);
        }
    }

    private static async Task EnqueueAsync(
        UnitOfWork unit, Incident incident, AlertPayload payload, string channel, string dedupKey,
        DateTimeOffset at, CancellationToken cancellationToken) =>
        await AlertStore.EnqueueAsync(unit,
            new OutboxNotification(Guid.NewGuid(), incident.Id, payload.Kind, channel, dedupKey, payload, "pending", 0, at, null, null),
            cancellationToken);
}
