using Byot.Shared.Incidents;
using Byot.Shared.Status;
using Xunit;

namespace Byot.Tests.Status;

/// <summary>The pure parts of the status page's incident history and incident page: which days an incident touches,
/// and what a business reader is told (and not told).</summary>
public sealed class StatusIncidentHistoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_history_is_thirty_utc_days_ending_today_and_an_incident_marks_every_day_it_touched()
    {
        var acrossMidnight = new StatusIncident(Guid.NewGuid(), new DateTimeOffset(2026, 11, 20, 23, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 21, 0, 10, 0, TimeSpan.Zero));
        var ongoing = new StatusIncident(Guid.NewGuid(), new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero), null);
        var tooOld = new StatusIncident(Guid.NewGuid(), new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 1, 1, 0, 0, TimeSpan.Zero));

        var days = IncidentHistory.Build([acrossMidnight, ongoing, tooOld], Now);

        Assert.Equal(30, days.Count);
        Assert.Equal(new DateOnly(2026, 10, 25), days[0].Date);
        Assert.Equal(new DateOnly(2026, 11, 23), days[^1].Date);
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 0, 0, TimeSpan.Zero), IncidentHistory.Since(Now));
        Assert.Equal([acrossMidnight.Id], Day(days, 20).Incidents);
        Assert.Equal([acrossMidnight.Id], Day(days, 21).Incidents);
        Assert.Equal([ongoing.Id], Day(days, 22).Incidents);
        Assert.Equal([ongoing.Id], Day(days, 23).Incidents);
        Assert.Empty(Day(days, 19).Incidents);
        Assert.Equal(4, days.Count(d => d.Incidents.Count > 0));
    }

    [Fact]
    public void The_story_speaks_plainly_collapses_channels_and_leaves_out_channels_errors_people_and_notes()
    {
        var opened = Now.AddMinutes(-90);
        var incident = new IncidentSummary(Guid.NewGuid(), "test", Guid.NewGuid(), "Checkout", "P0", "byot:test:x", opened, opened, Guid.NewGuid(),
            null, 3, 1, opened.AddMinutes(20), "alice@example.com", opened.AddMinutes(65), null, "bob", "rolled back deploy 4711 on db-prod-7");
        var timeline = new List<TimelineEntry>
        {
            new(opened, TimelineEntry.OpenedType, "Opened: Checkout failed 3 time(s) in a row, last failed (exit code 3)"),
            new(opened, TimelineEntry.NotificationType, "Alert sent to pd-high") { Channel = "pd-high", Status = "sent" },
            new(opened, TimelineEntry.NotificationType, "Alert sent to slack") { Channel = "slack", Status = "sent" },
            new(opened, TimelineEntry.NotificationType, "Alert to hook failed: 500 from https://hooks.example.test/secret") { Channel = "hook", Status = "failed", Error = "500" },
            new(opened.AddMinutes(15), TimelineEntry.EscalationType, "Escalation (stage 2, unacknowledged) sent to opsgenie-ops") { Channel = "opsgenie-ops", Status = "sent" },
            new(opened.AddMinutes(15), TimelineEntry.EscalationType, "Escalation (stage 2, unacknowledged) sent to ops-mail") { Channel = "ops-mail", Status = "sent" },
            new(opened.AddMinutes(20), TimelineEntry.AcknowledgedType, "Acknowledged by alice@example.com") { By = "alice@example.com" },
            new(opened.AddMinutes(30), TimelineEntry.ReminderType, "Reminder 1 sent to slack") { Status = "sent" },
            new(opened.AddMinutes(65), TimelineEntry.ResolvedType, "Resolved by hand by bob: rolled back deploy 4711 on db-prod-7") { By = "bob", Note = "rolled back deploy 4711 on db-prod-7" },
            new(opened.AddMinutes(65), TimelineEntry.RecoveryNoticeType, "Recovery notice sent to slack") { Status = "sent" },
        };
        var runs = new List<IncidentRun>();
        var page = IncidentStory.Tell(new IncidentDetail(incident, runs, timeline), Now);

        Assert.Equal("Checkout", page.Flow);
        Assert.Equal(TimeSpan.FromMinutes(65), page.Duration);
        Assert.False(page.Ongoing);
        Assert.Equal(
        [
            "We detected a problem with Checkout: our automated check of it failed.",
            "The on-call team was alerted.",
            "More of the team was called in.",
            "An engineer confirmed the problem and started working on it.",
            "The on-call team was reminded: the problem was still going on.",
            "The team confirmed the problem is resolved.",
        ], page.Steps.Select(s => s.Text));
        var everything = string.Join("\n", page.Steps.Select(s => s.Text)) + page.Impact + page.Flow;
        foreach (var secret in new[] { "pd-high", "slack", "hook", "https://", "alice", "bob", "4711", "exit code", "opsgenie", "ops-mail", "stage" })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_ongoing_incident_lasts_until_now_and_a_recovered_one_says_the_check_passed()
    {
        var opened = Now.AddHours(-26).AddMinutes(-5);
        var ongoing = new IncidentSummary(Guid.NewGuid(), "test", Guid.NewGuid(), "Login", "P2", "k", opened, opened, null, null, 1, 0, null, null, null, null, null, null);
        var page = IncidentStory.Tell(new IncidentDetail(ongoing, [], [new(opened, TimelineEntry.OpenedType, "Opened")]), Now);
        Assert.True(page.Ongoing);
        Assert.Equal("1 day 2 h", IncidentStory.Duration(page.Duration));

        var recovered = ongoing with { ResolvedAt = opened.AddMinutes(35), ResolvedByRunId = Guid.NewGuid() };
        var told = IncidentStory.Tell(new IncidentDetail(recovered, [], [new(recovered.ResolvedAt.Value, TimelineEntry.ResolvedType, "Resolved")]), Now);
        Assert.Equal("Login is working again: our automated check passed.", told.Steps.Single().Text);
        Assert.Equal("35 min", IncidentStory.Duration(told.Duration));
        Assert.Equal("under a minute", IncidentStory.Duration(TimeSpan.FromSeconds(20)));
        Assert.Equal("2 h 5 min", IncidentStory.Duration(TimeSpan.FromMinutes(125)));
    }

    private static StatusDay Day(IReadOnlyList<StatusDay> days, int november) => days.Single(d => d.Date == new DateOnly(2026, 11, november));
}
