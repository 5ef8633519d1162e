using Byot.Shared.Domain;
using Byot.Tests.Incidents;
using Byot.Tests.Maintenance;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>Escalation stages with a controlled clock, the real delivery timer and local receivers: the route's own
/// channels are stage 1 at open; an incident still unacknowledged 15 minutes after its first page reaches stage 2,
/// after 45 minutes stage 3; an acknowledgement, a resolution or a mute window stops or holds it, and two timer
/// instances or a retried tick escalate once.</summary>
public sealed class EscalationTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment, extra: Stages());

    public async Task DisposeAsync() => await h.DisposeAsync();

    public static Dictionary<string, string?> Stages() => new()
    {
        ["Byot:Alerts:Channels:manager:Type"] = "Slack",
        ["Byot:Alerts:Channels:manager:Url"] = "{receiver}/manager",
        ["Byot:Alerts:Channels:og:Type"] = "Opsgenie",
        ["Byot:Alerts:Channels:og:Url"] = "{receiver}/og",
        ["Byot:Alerts:Channels:og:ApiKey"] = "og-key",
        ["Byot:Alerts:P0:Escalation:0:AfterMinutes"] = "15",
        ["Byot:Alerts:P0:Escalation:0:Channels"] = "manager",
        ["Byot:Alerts:P0:Escalation:1:AfterMinutes"] = "45",
        ["Byot:Alerts:P0:Escalation:1:Channels"] = "og",
        ["Byot:Alerts:P2:Escalation:0:AfterMinutes"] = "15",
        ["Byot:Alerts:P2:Escalation:0:Channels"] = "manager",
    };

    [Fact]
    public async Task Stage_1_at_open_stage_2_after_15_minutes_unacknowledged_stage_3_after_45_each_once_and_the_resolve_reaches_them_all()
    {
        var test = await h.CreateTestAsync("checkout-escalates", "P0", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed, ["step 3: payment declined"]);
        await h.DeliverAsync();
        Assert.Single(h.Http.At("/pd"));
        Assert.Single(h.Http.At("/slack"));
        Assert.Empty(h.Http.At("/manager"));

        h.Time.Advance(TimeSpan.FromMinutes(14));
        await h.DeliverAsync();
        Assert.Empty(h.Http.At("/manager"));

        // Two timer instances at the deadline, then a retried tick: stage 2 once.
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await Task.WhenAll(h.DeliverAsync(), h.DeliverAsync());
        await h.DeliverAsync();
        var manager = Assert.Single(h.Http.At("/manager"));
        var text = manager.Json.GetProperty("text").GetString()!;
        Assert.Contains("Escalated (stage 2, nobody acknowledged): checkout-escalates is failing", text, StringComparison.Ordinal);
        Assert.Contains("step 3: payment declined", text, StringComparison.Ordinal);
        Assert.Empty(h.Http.At("/og/v2/alerts"));
        var incident = (await h.IncidentAsync(await h.OpenIncidentAsync(test))).GetProperty("incident");
        Assert.Equal(1, incident.GetProperty("escalationsSent").GetInt32());
        Assert.Equal(AlertHarness.MondayMorning.AddMinutes(45), incident.GetProperty("nextEscalationAt").GetDateTimeOffset());

        h.Time.Advance(TimeSpan.FromMinutes(29));
        await h.DeliverAsync();
        Assert.Empty(h.Http.At("/og/v2/alerts"));
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await Task.WhenAll(h.DeliverAsync(), h.DeliverAsync());
        await h.DeliverAsync();
        var id = await h.OpenIncidentAsync(test);
        var og = Assert.Single(h.Http.At("/og/v2/alerts"));
        Assert.Equal($"byot-incident-{id}", og.Json.GetProperty("alias").GetString());
        Assert.Equal("P1", og.Json.GetProperty("priority").GetString());
        Assert.Equal("3", og.Json.GetProperty("details").GetProperty("escalation_stage").GetString());

        // No stage 4: hours more of ticks add no escalation.
        h.Time.Advance(TimeSpan.FromHours(3));
        await h.DeliverAsync();
        Assert.Single(h.Http.At("/manager"));
        Assert.Single(h.Http.At("/og/v2/alerts"));

        incident = (await h.IncidentAsync(id)).GetProperty("incident");
        Assert.Equal(2, incident.GetProperty("escalationsSent").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, incident.GetProperty("nextEscalationAt").ValueKind);

        var timeline = (await h.IncidentAsync(id)).GetProperty("timeline").EnumerateArray().ToList();
        var escalations = timeline.Where(e => e.GetProperty("type").GetString() == "escalation").ToList();
        Assert.Equal(["manager", "og"], escalations.Select(e => e.GetProperty("channel").GetString()));
        Assert.Equal("Escalation (stage 2, unacknowledged) sent to manager", escalations[0].GetProperty("text").GetString());
        Assert.Equal(AlertHarness.MondayMorning.AddMinutes(15), escalations[0].GetProperty("at").GetDateTimeOffset());

        await h.RecordAsync(test, RunStatus.Passed);
        await h.DeliverAsync();
        Assert.Equal(2, h.Http.At("/manager").Count);
        Assert.Contains("passes again", h.Http.At("/manager")[1].Json.GetProperty("text").GetString()!, StringComparison.Ordinal);
        var close = Assert.Single(h.Http.At($"/og/v2/alerts/byot-incident-{id}/close"));
        Assert.Equal("?identifierType=alias", close.Query);
    }

    [Fact]
    public async Task An_acknowledgement_stops_escalation_and_reminders()
    {
        var test = await h.CreateTestAsync("login-acked", "P0", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed);
        await h.DeliverAsync();
        h.Time.Advance(TimeSpan.FromMinutes(10));
        var id = await h.OpenIncidentAsync(test);
        Assert.Equal(AlertHarness.MondayMorning.AddMinutes(15), (await h.IncidentAsync(id)).GetProperty("incident").GetProperty("nextEscalationAt").GetDateTimeOffset());
        var ack = await h.AckAsync(id, """{"by": "alice"}""");
        Assert.True(ack.Status == 200, ack.ToString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await h.IncidentAsync(id)).GetProperty("incident").GetProperty("nextEscalationAt").ValueKind);

        for (var i = 0; i < 6; i++)
        {
            h.Time.Advance(TimeSpan.FromMinutes(15));
            await h.DeliverAsync();
        }

        Assert.Empty(h.Http.At("/manager"));
        Assert.Empty(h.Http.At("/og/v2/alerts"));
        Assert.Single(h.Http.At("/slack"));
    }

    [Fact]
    public async Task An_acknowledgement_withdraws_a_stage_still_being_retried()
    {
        h.Http.Script("/manager", new Reply(503, "busy"));
        var test = await h.CreateTestAsync("orders-retrying", "P0", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed);
        await h.DeliverAsync();
        h.Time.Advance(TimeSpan.FromMinutes(15));
        await h.DeliverAsync();
        Assert.Single(h.Http.At("/manager"));

        var id = await h.OpenIncidentAsync(test);
        Assert.Equal(200, (await h.AckAsync(id)).Status);
        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.DeliverAsync();

        Assert.Single(h.Http.At("/manager"));
        var escalation = Assert.Single((await h.IncidentAsync(id)).GetProperty("timeline").EnumerateArray(), e => e.GetProperty("type").GetString() == "escalation");
        Assert.Equal("superseded", escalation.GetProperty("status").GetString());
        Assert.Equal("Escalation (stage 2, unacknowledged) to manager withdrawn: Acknowledged before this was delivered.", escalation.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_resolution_stops_escalation_by_a_passing_run_or_by_hand()
    {
        var passing = await h.CreateTestAsync("cart-recovers", "P0", threshold: 1);
        var byHand = await h.CreateTestAsync("search-closed", "P0", threshold: 1);
        await h.RecordAsync(passing, RunStatus.Failed);
        await h.RecordAsync(byHand, RunStatus.Failed);
        await h.DeliverAsync();
        h.Time.Advance(TimeSpan.FromMinutes(10));
        await h.RecordAsync(passing, RunStatus.Passed);
        var resolved = await h.ResolveAsync(await h.OpenIncidentAsync(byHand), """{"note": "known outage", "by": "bob"}""");
        Assert.True(resolved.Status == 200, resolved.ToString());
        await h.DeliverAsync();

        for (var i = 0; i < 6; i++)
        {
            h.Time.Advance(TimeSpan.FromMinutes(15));
            await h.DeliverAsync();
        }

        Assert.Empty(h.Http.At("/manager"));
        Assert.Empty(h.Http.At("/og/v2/alerts"));
    }

    [Fact]
    public async Task A_mute_window_holds_the_stage_until_it_ends()
    {
        var test = await h.CreateTestAsync("basket-muted", "P0", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed);
        await h.DeliverAsync();
        await h.Client.CreateMaintenanceOkAsync($$"""
            {"name": "Planned work", "mode": "mute", "startsAt": "{{AlertHarness.MondayMorning.AddMinutes(10):O}}",
             "endsAt": "{{AlertHarness.MondayMorning.AddMinutes(40):O}}", "tests": ["{{test}}"]}
            """);

        h.Time.Advance(TimeSpan.FromMinutes(15));
        await h.DeliverAsync();
        h.Time.Advance(TimeSpan.FromMinutes(24));
        await h.DeliverAsync();
        Assert.Empty(h.Http.At("/manager"));

        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.DeliverAsync();
        Assert.Single(h.Http.At("/manager"));
        // Stage 3 is on schedule (45 minutes after the first page), not 30 minutes after the held stage 2.
        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.DeliverAsync();
        Assert.Single(h.Http.At("/og/v2/alerts"));
    }

    [Fact]
    public async Task A_business_hours_route_holds_a_stage_due_after_hours_until_the_window_opens()
    {
        // Monday 16:50 UTC: paged at once, stage 2 due at 17:05, after the default business hours.
        h.Time.Advance(new TimeSpan(6, 50, 0));
        var test = await h.CreateTestAsync("reports-p2", "P2", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed);
        await h.DeliverAsync();
        Assert.Single(h.Http.At("/slack"));

        h.Time.Advance(TimeSpan.FromMinutes(15));
        await h.DeliverAsync();
        h.Time.Advance(new TimeSpan(15, 54, 0));
        await h.DeliverAsync();
        Assert.Empty(h.Http.At("/manager"));

        // Tuesday 09:00.
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.DeliverAsync();
        await h.DeliverAsync();
        Assert.Contains("Escalated (stage 2", Assert.Single(h.Http.At("/manager")).Json.GetProperty("text").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_route_without_stages_never_escalates()
    {
        var test = await h.CreateTestAsync("profile-p1", "P1", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed);
        await h.DeliverAsync();
        h.Time.Advance(TimeSpan.FromHours(5));
        await h.DeliverAsync();

        var types = IncidentCalls.TimelineTypes(await h.IncidentAsync(await h.OpenIncidentAsync(test)));
        Assert.DoesNotContain("escalation", types);
        Assert.Contains("notification", types);
        Assert.Empty(h.Http.At("/manager"));
    }
}
