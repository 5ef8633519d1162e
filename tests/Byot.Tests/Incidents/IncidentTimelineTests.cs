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

    private static IncidentSummary Incident(DateTimeOffset? resolvedAt) => new(
        Guid.NewGuid(), "test", Guid.NewGuid(), "checkout", "P0", "byot-incident-x", Opened, Opened, null, null, 1, 0,
        null, null, resolvedAt, null, null, null);
}
