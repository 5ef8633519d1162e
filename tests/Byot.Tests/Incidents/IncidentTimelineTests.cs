using Byot.Shared.Incidents;
using Xunit;

namespace Byot.Tests.Incidents;

/// <summary>The timeline in memory: order, and one plain sentence per step.</summary>
public sealed class IncidentTimelineTests
{
    private static readonly DateTimeOffset Opened = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Steps_are_ordered_by_time_and_a_resolution_comes_after_the_notices_of_the_same_moment()
    {
        var incident = Incident(resolvedAt: Opened.AddMinutes(9)) with { ResolvedBy = "carol", ResolutionNote = "fixed upstream" };
        var notifications = new[]
        {
            new IncidentNotification(Guid.NewGuid(), "resolve", "slack", "sent", 1, Opened.AddMinutes(9), 200, null, 0),
            new IncidentNotification(Guid.NewGuid(), "trigger", "slack", "pending", 2, Opened.AddMinutes(1), 503, "HTTP 503", 0),
            new IncidentNotification(Guid.NewGuid(), "reminder", "slack", "superseded", 0, Opened.AddMinutes(30), null, "The incident resolved before this was sent.", 1),
        };
        var events = new[] { new IncidentEvent(Guid.NewGuid(), Opened.AddMinutes(5), IncidentEvent.AcknowledgedKind, null, null) };

        var timeline = IncidentTimeline.Build(incident, [], notifications, events);

        Assert.Equal(
            [
                "Opened: checkout failed 1 time(s) in a row",
                "Alert to slack being retried (attempt 2: HTTP 503), next at 2026-11-23 10:01:00 UTC",
                "Acknowledged by someone",
                "Recovery notice sent to slack",
                "Resolved by hand by carol: fixed upstream",
                "Reminder 1 to slack withdrawn: The incident resolved before this was sent.",
            ],
            timeline.Select(e => e.Text));
        Assert.Equal(["opened", "notification", "acknowledged", "recovery_notice", "resolved", "reminder"], timeline.Select(e => e.Type));
    }

    [Fact]
    public void An_operator_incident_says_it_is_the_infrastructure()
    {
        var incident = Incident(resolvedAt: Opened.AddMinutes(2)) with { Kind = "operator", TestId = null, TestName = null, FailureCount = 4 };

        var timeline = IncidentTimeline.Build(incident, [], [], []);

        Assert.Equal(
            ["Opened: 4 runs ended in infra_error (the infrastructure, not a test)", "Resolved: runs completed normally again"],
            timeline.Select(e => e.Text));
    }

    [Fact]
    public void A_hold_past_midnight_names_the_day_and_a_hand_resolution_during_the_window_drops_the_held_page()
    {
        var late = Opened.AddHours(13);
        var incident = Incident(resolvedAt: late.AddMinutes(30)) with { OpenedAt = late, ResolvedBy = "carol", ResolutionNote = "rolled back" };
        var hold = new IncidentEvent(Guid.NewGuid(), late, IncidentEvent.MaintenanceHoldKind, null, IncidentEvent.HeldPage)
        {
            WindowName = "db upgrade",
            HeldUntil = late.AddHours(4),
        };

        var timeline = IncidentTimeline.Build(incident, [], [], [hold]);

        Assert.Equal(
            [
                "Opened: checkout failed 1 time(s) in a row",
                "Held by maintenance window 'db upgrade' (until 2026-11-24 03:00 UTC): the alert",
                "Dropped: resolved by hand during maintenance window 'db upgrade'",
                "Resolved by hand by carol: rolled back",
            ],
            timeline.Select(e => e.Text));
    }

    [Fact]
    public void A_held_page_still_waiting_shows_only_the_hold_and_one_sent_before_the_end_is_not_taken_for_a_release()
    {
        var hold = new IncidentEvent(Guid.NewGuid(), Opened, IncidentEvent.MaintenanceHoldKind, null, IncidentEvent.HeldPage)
        {
            WindowName = "db upgrade",
            HeldUntil = Opened.AddHours(1),
        };
        var notifications = new[]
        {
            new IncidentNotification(Guid.NewGuid(), "trigger", "slack", "pending", 0, Opened.AddHours(1), null, null, 0),
            new IncidentNotification(Guid.NewGuid(), "reminder", "slack", "sent", 1, Opened.AddMinutes(30), 200, null, 1),
        };

        var timeline = IncidentTimeline.Build(Incident(resolvedAt: null), [], notifications, [hold]);

        Assert.Equal(["opened", "maintenance_held", "reminder", "notification"], timeline.Select(e => e.Type));
    }

    private static IncidentSummary Incident(DateTimeOffset? resolvedAt) => new(
        Guid.NewGuid(), "test", Guid.NewGuid(), "checkout", "P0", "byot-incident-x", Opened, Opened, null, null, 1, 0,
        null, null, resolvedAt, null, null, null);
}
