using System.Globalization;
using Byot.Shared.Domain.Alerting;

namespace Byot.Shared.Incidents;

/// <summary>Puts together what happened to an incident, oldest first, each step in one sentence a person reads
/// without knowing BYOT: when and why it opened, each notification and how its delivery went, acknowledgements, the
/// dependents that joined it (and passed again), what a mute maintenance window held and what became of it, and how it
/// ended. Pure: the records come from storage.</summary>
public static class IncidentTimeline
{
    public static IReadOnlyList<TimelineEntry> Build(
        IncidentSummary incident, IReadOnlyList<IncidentRun> failingRuns, IReadOnlyList<IncidentNotification> notifications, IReadOnlyList<IncidentEvent> events,
        IReadOnlyList<IncidentDependent>? dependents = null)
    {
        var entries = new List<(TimelineEntry Entry, int Order)>
        {
            (new TimelineEntry(incident.OpenedAt, TimelineEntry.OpenedType, Opened(incident, failingRuns)) { Runs = failingRuns, RunId = incident.OpenedByRunId }, 0),
        };

        entries.AddRange(notifications.Select(n => (Notification(n), 1)));
        entries.AddRange(events.Where(e => e.Kind == IncidentEvent.AcknowledgedKind).Select(e => (
            new TimelineEntry(e.At, TimelineEntry.AcknowledgedType, Invariant($"Acknowledged by {e.Actor ?? "someone"}{Suffix(e.Note)}")) { By = e.Actor, Note = e.Note }, 2)));
        foreach (var dependent in dependents ?? [])
        {
            var down = incident.TestName ?? "its dependency";
            entries.Add((new TimelineEntry(dependent.JoinedAt, TimelineEntry.DependentJoinedType, Invariant($"{dependent.Name} joined: failing while {down} is down"))
            {
                TestId = dependent.TestId,
                RunId = dependent.JoinedByRunId,
            }, 2));
            if (dependent.RecoveredAt is { } recovered)
            {
                entries.Add((new TimelineEntry(recovered, TimelineEntry.DependentRecoveredType, Invariant($"{dependent.Name} passed again"))
                {
                    TestId = dependent.TestId,
                    RunId = dependent.RecoveredByRunId,
                }, 2));
            }
        }

        foreach (var hold in events.Where(e => e.Kind == IncidentEvent.MaintenanceHoldKind && e.WindowName is not null && e.HeldUntil is not null))
        {
            entries.AddRange(Maintenance(incident, hold, hold.WindowName!, hold.HeldUntil!.Value, notifications));
        }

        if (incident.ResolvedAt is { } resolved)
        {
            var text = incident.ResolutionNote is not null
                ? Invariant($"Resolved by hand by {incident.ResolvedBy ?? "someone"}{Suffix(incident.ResolutionNote)}")
                : incident.Kind == Incident.OperatorKind ? "Resolved: runs completed normally again"
                : "Resolved: the test passed again";
            entries.Add((new TimelineEntry(resolved, TimelineEntry.ResolvedType, text)
            {
                RunId = incident.ResolvedByRunId,
                By = incident.ResolvedBy,
                Note = incident.ResolutionNote,
            }, 3));
        }

        // Notifications written when the incident resolved are part of its end, whatever their clock says.
        return [.. entries.OrderBy(e => e.Entry.At).ThenBy(e => e.Order).Select(e => e.Entry)];
    }

    /// <summary>The hold, then what became of what it held: dropped when the incident ended (or, for a reminder or an
    /// escalation, was acknowledged) before the window did; sent after the window when a notification of that kind
    /// went out once it ended. Nothing more while it is still held.</summary>
    private static IEnumerable<(TimelineEntry Entry, int Order)> Maintenance(
        IncidentSummary incident, IncidentEvent hold, string window, DateTimeOffset until, IReadOnlyList<IncidentNotification> notifications)
    {
        var held = hold.Note ?? IncidentEvent.HeldPage;
        var what = held switch
        {
            IncidentEvent.HeldReminder => "a reminder",
            IncidentEvent.HeldEscalation => "an escalation",
            _ => "the alert",
        };
        yield return (new TimelineEntry(hold.At, TimelineEntry.MaintenanceHeldType,
            Invariant($"Held by maintenance window '{window}' (until {Until(hold.At, until)}): {what}")) { Window = window, Until = until, Held = held }, 1);

        if (incident.ResolvedAt is { } resolved && resolved < until)
        {
            var how = incident.ResolutionNote is not null || incident.ResolvedBy is not null ? "resolved by hand" : "recovered";
            yield return (new TimelineEntry(resolved, TimelineEntry.MaintenanceDroppedType,
                Invariant($"Dropped: {how} during maintenance window '{window}'")) { Window = window, Held = held }, 2);
            yield break;
        }

        if (held != IncidentEvent.HeldPage && incident.AcknowledgedAt is { } acknowledged && acknowledged < until)
        {
            yield return (new TimelineEntry(acknowledged, TimelineEntry.MaintenanceDroppedType,
                Invariant($"Dropped: acknowledged during maintenance window '{window}'")) { Window = window, Held = held }, 2);
            yield break;
        }

        var kind = held switch
        {
            IncidentEvent.HeldReminder => NotificationKind.Reminder,
            IncidentEvent.HeldEscalation => NotificationKind.Escalation,
            _ => NotificationKind.Trigger,
        };
        if (notifications.Any(n => n.Kind == kind && n.Status == "sent" && n.At >= until))
        {
            // At the window's end, before the notifications it let go (same moment or later).
            yield return (new TimelineEntry(until, TimelineEntry.MaintenanceReleasedType,
                Invariant($"Sent after maintenance window '{window}' ended")) { Window = window, Held = held }, 0);
        }
    }

    /// <summary>"03:00 UTC" on the day of the hold, with the date when the window ends on another day.</summary>
    private static string Until(DateTimeOffset at, DateTimeOffset until) =>
        until.UtcDateTime.Date == at.UtcDateTime.Date
            ? until.UtcDateTime.ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture)
            : until.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Opened(IncidentSummary incident, IReadOnlyList<IncidentRun> runs) =>
        incident.Kind == Incident.OperatorKind
            ? Invariant($"Opened: {incident.FailureCount} runs ended in infra_error (the infrastructure, not a test)")
            : Invariant($"Opened: {incident.TestName ?? "the test"} failed {Math.Max(runs.Count, 1)} time(s) in a row")
              + (runs.Count > 0 ? Invariant($", last {runs[^1].Status}{(runs[^1].ExitCode is { } code ? $" (exit code {code})" : "")}") : "");

    private static TimelineEntry Notification(IncidentNotification n)
    {
        var (type, what) = n.Kind switch
        {
            NotificationKind.Reminder => (TimelineEntry.ReminderType, Invariant($"Reminder {n.Reminder}")),
            NotificationKind.Escalation => (TimelineEntry.EscalationType, Invariant($"Escalation (stage {n.Stage}, unacknowledged)")),
            NotificationKind.Resolve => (TimelineEntry.RecoveryNoticeType, "Recovery notice"),
            _ => (TimelineEntry.NotificationType, "Alert"),
        };
        var outcome = n.Status switch
        {
            "sent" => Invariant($"{what} sent to {n.Channel}"),
            "failed" => Invariant($"{what} to {n.Channel} failed: {n.Error ?? "no reason given"}"),
            "superseded" => Invariant($"{what} to {n.Channel} withdrawn: {n.Error ?? "no longer needed"}"),
            _ when n.Attempts == 0 => Invariant($"{what} to {n.Channel} waiting until {Time(n.At)}"),
            _ => Invariant($"{what} to {n.Channel} being retried (attempt {n.Attempts}: {n.Error ?? "no answer"}), next at {Time(n.At)}"),
        };
        return new TimelineEntry(n.At, type, outcome)
        {
            Channel = n.Channel,
            Status = n.Status,
            Attempts = n.Attempts,
            StatusCode = n.StatusCode,
            Error = n.Error,
        };
    }

    private static string Suffix(string? note) => note is null ? "" : ": " + note;

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
