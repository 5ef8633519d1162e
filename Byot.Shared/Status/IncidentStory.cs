using System.Globalization;
using Byot.Shared.Incidents;

namespace Byot.Shared.Status;

/// <summary>Tells an incident for the status page's readers. Pure: the incident's detail (its API timeline) comes in,
/// and only what a customer or a manager may read goes out. Channel names, delivery errors, exit codes, who
/// acknowledged and resolution notes are the team's own, so they are left out; a delivery to several channels is one
/// step.</summary>
public static class IncidentStory
{
    public static StatusIncidentPage Tell(IncidentDetail detail, DateTimeOffset now)
    {
        var incident = detail.Incident;
        var flow = incident.TestName ?? "This flow";
        var steps = new List<StatusIncidentStep>();
        foreach (var entry in detail.Timeline)
        {
            if (Step(entry, incident, flow, detail.FailingRuns.Count) is { } text && (steps.Count == 0 || steps[^1].Text != text))
            {
                steps.Add(new StatusIncidentStep(entry.At, text));
            }
        }

        var end = incident.ResolvedAt;
        return new StatusIncidentPage(
            incident.Id, incident.TestId ?? Guid.Empty, flow, incident.Severity, Impact(incident.Severity),
            incident.OpenedAt, end, (end ?? now) - incident.OpenedAt, steps);
    }

    /// <summary>The severity in words: how much it mattered.</summary>
    public static string Impact(string severity) => severity switch
    {
        "P0" => "Critical: a key flow was broken",
        "P1" => "Major: an important flow was broken",
        "P2" => "Minor: a secondary flow was broken",
        _ => "Low: a flow of low importance was broken",
    };

    /// <summary>A duration as people say it: "under a minute", "35 min", "2 h 5 min", "3 days 4 h".</summary>
    public static string Duration(TimeSpan span) =>
        span < TimeSpan.FromMinutes(1) ? "under a minute"
        : span < TimeSpan.FromHours(1) ? Invariant($"{(int)span.TotalMinutes} min")
        : span < TimeSpan.FromDays(1) ? Invariant($"{(int)span.TotalHours} h") + (span.Minutes > 0 ? Invariant($" {span.Minutes} min") : "")
        : Invariant($"{(int)span.TotalDays} day{((int)span.TotalDays == 1 ? "" : "s")}") + (span.Hours > 0 ? Invariant($" {span.Hours} h") : "");

    private static string? Step(TimelineEntry entry, IncidentSummary incident, string flow, int failures) => entry.Type switch
    {
        TimelineEntry.OpenedType => failures > 1
            ? Invariant($"We detected a problem with {flow}: our automated check of it failed {failures} times in a row.")
            : Invariant($"We detected a problem with {flow}: our automated check of it failed."),
        TimelineEntry.NotificationType when entry.Status == "sent" => "The on-call team was alerted.",
        TimelineEntry.ReminderType when entry.Status == "sent" => "The on-call team was reminded: the problem was still going on.",
        TimelineEntry.EscalationType when entry.Status == "sent" => "More of the team was called in.",
        TimelineEntry.MaintenanceHeldType when entry.Held == IncidentEvent.HeldPage => "This happened during planned maintenance, so the team was not alerted while it lasted.",
        TimelineEntry.MaintenanceReleasedType when entry.Held == IncidentEvent.HeldPage => "Planned maintenance ended with the problem still there, so the on-call team was alerted.",
        TimelineEntry.AcknowledgedType => "An engineer confirmed the problem and started working on it.",
        TimelineEntry.ResolvedType => incident.ResolvedByRunId is not null
            ? Invariant($"{flow} is working again: our automated check passed.")
            : "The team confirmed the problem is resolved.",
        _ => null,
    };

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
