using System.Text.Json;
using Byot.Shared.Domain;
using Byot.Tests.Alerts;
using Xunit;

namespace Byot.Tests.Incidents;

/// <summary>POST /incidents/{id}/ack stops reminders; POST /incidents/{id}/resolve closes an incident by hand with a
/// note, tells every channel on the same dedup key and restarts the test's streak.</summary>
public sealed class IncidentActionsApiTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment);

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task An_acknowledged_incident_gets_no_reminders_while_an_unacknowledged_one_does()
    {
        var acked = await h.CreateTestAsync("checkout", "P0", threshold: 1);
        var ignored = await h.CreateTestAsync("login", "P0", threshold: 1);
        await h.RecordAsync(acked, RunStatus.Failed);
        await h.RecordAsync(ignored, RunStatus.Failed);
        var id = await h.OpenIncidentAsync(acked);

        // Acknowledged before the delivery timer even routed the trigger: routing must not bring reminders back.
        var ack = await h.AckAsync(id, """{"by": "alice", "note": "looking at the payment provider"}""");
        Assert.True(ack.Status == 200, ack.ToString());
        Assert.Equal("acknowledged", ack.Json.GetProperty("incident").GetProperty("state").GetString());
        await h.DeliverAsync();
        Assert.Equal(2, h.Http.At("/slack").Count);

        h.Time.Advance(TimeSpan.FromMinutes(31));
        var pass = await h.DeliverAsync();

        Assert.Equal(1, pass.Reminders);
        var reminders = h.Http.At("/slack").Skip(2).Select(r => r.Json.GetProperty("text").GetString()!).ToList();
        Assert.Equal(["*[P0] Reminder 1: login is still failing*"], reminders.Select(t => t.Split('\n')[0]));

        var detail = await h.IncidentAsync(id);
        var entry = detail.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "acknowledged");
        Assert.Equal("Acknowledged by alice: looking at the payment provider", entry.GetProperty("text").GetString());
        Assert.Equal("alice", detail.GetProperty("incident").GetProperty("acknowledgedBy").GetString());
        Assert.Equal(AlertHarness.MondayMorning, detail.GetProperty("incident").GetProperty("acknowledgedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Acknowledging_twice_keeps_the_first_acknowledgement()
    {
        var test = await h.CreateTestAsync("cart", "P1", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed);
        var id = await h.OpenIncidentAsync(test);

        Assert.Equal(200, (await h.AckAsync(id)).Status);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var again = await h.AckAsync(id, """{"by": "bob"}""");

        Assert.Equal(200, again.Status);
        var incident = again.Json.GetProperty("incident");
        Assert.Equal(JsonValueKind.Null, incident.GetProperty("acknowledgedBy").ValueKind);
        Assert.Equal(AlertHarness.MondayMorning, incident.GetProperty("acknowledgedAt").GetDateTimeOffset());
        Assert.Single(again.Json.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("type").GetString() == "acknowledged");
    }

    [Fact]
    public async Task Resolving_by_hand_sends_the_recovery_notice_on_the_same_dedup_key_and_restarts_the_streak()
    {
        var test = await h.CreateTestAsync("payments", "P0", threshold: 2);
        await h.RecordManyAsync(test, RunStatus.Failed, RunStatus.Failed);
        await h.DeliverAsync();
        var id = await h.OpenIncidentAsync(test);
        var dedupKey = Assert.Single(h.Http.At("/pd")).Json.GetProperty("dedup_key").GetString();

        h.Time.Advance(TimeSpan.FromMinutes(7));
        var resolved = await h.ResolveAsync(id, """{"by": "carol", "note": "False alarm: the sandbox of the payment provider was down"}""");
        Assert.True(resolved.Status == 200, resolved.ToString());
        await h.DeliverAsync();

        var pd = h.Http.At("/pd");
        Assert.Equal(2, pd.Count);
        Assert.Equal("resolve", pd[1].Json.GetProperty("event_action").GetString());
        Assert.Equal(dedupKey, pd[1].Json.GetProperty("dedup_key").GetString());
        var slack = h.Http.At("/slack")[1].Json.GetProperty("text").GetString();
        Assert.Equal(
            $"*[P0] Resolved by hand: payments*\nTest: payments (P0, id {test:D})\n"
            + "Was failing since 2026-11-23 10:00:00 UTC; closed by hand by carol at 2026-11-23 10:07:00 UTC.\n"
            + "Note: False alarm: the sandbox of the payment provider was down",
            slack);

        var incident = resolved.Json.GetProperty("incident");
        Assert.Equal("resolved", incident.GetProperty("state").GetString());
        Assert.Equal("carol", incident.GetProperty("resolvedBy").GetString());
        Assert.Equal(JsonValueKind.Null, incident.GetProperty("resolvedByRunId").ValueKind);
        Assert.Equal("Resolved by hand by carol: False alarm: the sandbox of the payment provider was down",
            resolved.Json.GetProperty("timeline").EnumerateArray().Last().GetProperty("text").GetString());

        // The streak starts afresh: one more failure is below the threshold of 2, the second opens a new incident.
        await h.RecordAsync(test, RunStatus.Failed);
        var alerts = await h.AlertsAsync(test);
        Assert.Equal(JsonValueKind.Null, alerts.GetProperty("openIncident").ValueKind);
        Assert.Equal(1, alerts.GetProperty("consecutiveFailures").GetInt32());
        await h.RecordAsync(test, RunStatus.Failed);
        Assert.NotEqual(id, await h.OpenIncidentAsync(test));
    }

    [Fact]
    public async Task A_resolved_incident_can_be_neither_resolved_nor_acknowledged_again()
    {
        var test = await h.CreateTestAsync("profile", "P1", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed);
        var id = await h.OpenIncidentAsync(test);
        Assert.Equal(200, (await h.ResolveAsync(id, """{"note": "fixed"}""")).Status);

        var twice = await h.ResolveAsync(id, """{"note": "fixed again"}""");
        Assert.Equal(409, twice.Status);
        Assert.Equal("urn:byot:problem:incident-resolved", twice.Json.GetProperty("type").GetString());
        Assert.Equal(409, (await h.AckAsync(id)).Status);
        Assert.Equal(1, await environment.ScalarAsync(
            "SELECT count(*) FROM notifications WHERE incident_id = @id AND kind = 'resolve'", ("id", Guid.Parse(id))));
    }

    [Fact]
    public async Task Two_hand_resolutions_at_once_resolve_it_once_and_send_one_recovery_event()
    {
        var test = await h.CreateTestAsync("search", "P1", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed);
        var id = await h.OpenIncidentAsync(test);

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => h.ResolveAsync(id, $$"""{"note": "attempt {{i}}"}""")));

        Assert.Equal(1, answers.Count(a => a.Status == 200));
        Assert.Equal(3, answers.Count(a => a.Status == 409));
        Assert.Equal(1, await environment.ScalarAsync(
            "SELECT count(*) FROM incident_events WHERE incident_id = @id AND kind = 'resolved_by_hand'", ("id", Guid.Parse(id))));
    }

    [Theory]
    [InlineData(null, 400, "note")]
    [InlineData("""{"by": "dave"}""", 400, "note")]
    [InlineData("""{"note": "x", "reason": "y"}""", 400, "reason")]
    [InlineData("""{"note": 5}""", 400, "note")]
    [InlineData("[1]", 400, null)]
    public async Task A_resolution_without_a_note_or_with_unknown_fields_is_refused_and_changes_nothing(string? body, int status, string? field)
    {
        var test = await h.CreateTestAsync("orders", "P2", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed);
        var id = await h.OpenIncidentAsync(test);

        var refused = await h.ResolveAsync(id, body);

        Assert.Equal(status, refused.Status);
        if (field is not null)
        {
            Assert.Equal(field, refused.Json.GetProperty("field").GetString());
        }

        Assert.Equal(id, await h.OpenIncidentAsync(test));
        Assert.Equal(404, (await h.ResolveAsync(Guid.NewGuid().ToString(), """{"note": "x"}""")).Status);
        Assert.Equal(400, (await h.AckAsync("123")).Status);
    }
}
