using Byot.Shared.Domain;
using Byot.Tests.Alerts;
using Xunit;

namespace Byot.Tests.Incidents;

/// <summary>GET /incidents/{id}: the failing runs that opened it, each notification with its delivery result, and how
/// it ended, against real local receivers and the real delivery timer's service.</summary>
public sealed class IncidentTimelineApiTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment);

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task The_timeline_lists_the_failing_runs_each_delivery_result_and_the_passing_run_that_resolved_it()
    {
        var test = await h.CreateTestAsync("checkout", "P0", threshold: 2);
        await h.RecordAsync(test, RunStatus.Failed);
        await h.RecordAsync(test, RunStatus.Passed);
        var first = await h.RecordAsync(test, RunStatus.TimedOut);
        var second = await h.RecordAsync(test, RunStatus.Failed);
        h.Http.Script("/slack", new Reply(400, "invalid_payload"));
        await h.DeliverAsync();
        var id = await h.OpenIncidentAsync(test);

        h.Time.Advance(TimeSpan.FromMinutes(3));
        var pass = await h.RecordAsync(test, RunStatus.Passed);
        await h.DeliverAsync();

        var detail = await h.IncidentAsync(id);
        var incident = detail.GetProperty("incident");
        Assert.Equal("resolved", incident.GetProperty("state").GetString());
        Assert.Equal("checkout", incident.GetProperty("testName").GetString());
        Assert.Equal(pass, incident.GetProperty("resolvedByRunId").GetGuid());
        Assert.Equal($"/incidents/{id}/ack", incident.GetProperty("links").GetProperty("ack").GetString());

        // Only the streak that opened it: the failure before the pass is not part of this incident.
        Assert.Equal([first, second], detail.GetProperty("failingRuns").EnumerateArray().Select(r => r.GetProperty("runId").GetGuid()));
        Assert.Equal(["timed_out", "failed"], detail.GetProperty("failingRuns").EnumerateArray().Select(r => r.GetProperty("status").GetString()));

        Assert.Equal(["opened", "notification", "notification", "recovery_notice", "recovery_notice", "resolved"], IncidentCalls.TimelineTypes(detail));
        var timeline = detail.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal("Opened: checkout failed 2 time(s) in a row, last failed (exit code 3)", timeline[0].GetProperty("text").GetString());
        Assert.Equal(second, timeline[0].GetProperty("runId").GetGuid());
        var sent = timeline.Single(e => e.GetProperty("channel").GetString() == "pd-high" && e.GetProperty("type").GetString() == "notification");
        Assert.Equal("Alert sent to pd-high", sent.GetProperty("text").GetString());
        var refused = timeline.Single(e => e.GetProperty("channel").GetString() == "slack" && e.GetProperty("type").GetString() == "notification");
        Assert.Equal("failed", refused.GetProperty("status").GetString());
        Assert.Equal(400, refused.GetProperty("statusCode").GetInt32());
        Assert.StartsWith("Alert to slack failed: ", refused.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("invalid_payload", refused.GetProperty("error").GetString(), StringComparison.Ordinal);

        Assert.Equal(["Recovery notice sent to pd-high", "Recovery notice sent to slack"],
            timeline.Skip(3).Take(2).Select(e => e.GetProperty("text").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal("Resolved: the test passed again", timeline[5].GetProperty("text").GetString());
        Assert.Equal(AlertHarness.MondayMorning.AddMinutes(3), timeline[5].GetProperty("at").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_notification_held_for_business_hours_shows_as_waiting_until_the_window_opens()
    {
        var test = await h.CreateTestAsync("search", "P2", threshold: 1);
        h.Time.SetUtcNow(new DateTimeOffset(2026, 11, 23, 20, 0, 0, TimeSpan.Zero));
        await h.RecordAsync(test, RunStatus.Failed);
        await h.DeliverAsync();

        var detail = await h.IncidentAsync(await h.OpenIncidentAsync(test));
        var held = detail.GetProperty("timeline").EnumerateArray().Where(e => e.GetProperty("type").GetString() == "notification").ToList();
        Assert.Equal(2, held.Count);
        Assert.All(held, e => Assert.Equal("pending", e.GetProperty("status").GetString()));
        Assert.Contains(held, e => e.GetProperty("text").GetString() == "Alert to slack waiting until 2026-11-24 09:00:00 UTC");
        Assert.Equal("open", detail.GetProperty("incident").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Unknown_and_malformed_incident_ids_are_404_and_400()
    {
        var unknown = await h.GetIncidentAsync(Guid.NewGuid().ToString());
        Assert.Equal(404, unknown.Status);
        Assert.Equal("application/problem+json; charset=utf-8", unknown.ContentType);

        var malformed = await h.GetIncidentAsync("not-an-id");
        Assert.Equal(400, malformed.Status);
        Assert.Equal("incidentId", malformed.Json.GetProperty("field").GetString());
    }
}
