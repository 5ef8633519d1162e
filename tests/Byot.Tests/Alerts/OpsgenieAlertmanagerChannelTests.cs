using System.Text.Json;
using Byot.Shared.Alerts;
using Byot.Shared.Domain;
using Byot.Tests.Incidents;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>The Opsgenie (Alert API v2) and Alertmanager-format channels against a local receiver, through the real
/// completion path and delivery timer: what each endpoint receives on trigger, reminder and resolve, and how a 4xx
/// (failed at once, reason kept), a 5xx and a timeout (retried with the delivery backoff) are handled.</summary>
public sealed class OpsgenieAlertmanagerChannelTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private static readonly string[] BothChannels = ["og", "am"];

    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment, extra: new Dictionary<string, string?>
    {
        ["Byot:Alerts:Channels:og:Type"] = "Opsgenie",
        ["Byot:Alerts:Channels:og:Url"] = "{receiver}/og",
        ["Byot:Alerts:Channels:og:ApiKey"] = "og-integration-key",
        ["Byot:Alerts:Channels:am:Type"] = "Alertmanager",
        ["Byot:Alerts:Channels:am:Url"] = "{receiver}/am",
        ["Byot:Alerts:Channels:am:BearerToken"] = "am-token",
        ["Byot:Alerts:P1:Channels"] = "og,am",
    });

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task Opsgenie_gets_a_create_with_the_alias_and_priority_no_reminders_and_a_close_by_alias()
    {
        var test = await h.CreateTestAsync("payments-og", "P1", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed, ["card declined", "exit 3"], error: "assertion failed");
        await h.DeliverAsync();
        var id = await h.OpenIncidentAsync(test);

        var create = Assert.Single(h.Http.At("/og/v2/alerts"));
        Assert.Equal("POST", create.Method);
        Assert.Equal("GenieKey og-integration-key", create.Headers["Authorization"]);
        var body = create.Json;
        Assert.Equal($"byot-incident-{id}", body.GetProperty("alias").GetString());
        Assert.Equal("P2", body.GetProperty("priority").GetString());
        Assert.Equal("[P1] payments-og is failing", body.GetProperty("message").GetString());
        Assert.Contains("assertion failed", body.GetProperty("description").GetString()!, StringComparison.Ordinal);
        Assert.Contains("card declined", body.GetProperty("description").GetString()!, StringComparison.Ordinal);
        Assert.Equal(["byot", "severity:P1"], body.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("payments-og", body.GetProperty("entity").GetString());
        Assert.Equal(test.ToString(), body.GetProperty("details").GetProperty("test_id").GetString());

        // P1 reminds every 60 minutes; Opsgenie re-notifies by its own policy and gets none.
        h.Time.Advance(TimeSpan.FromMinutes(61));
        await h.DeliverAsync();
        Assert.Single(h.Http.At("/og/v2/alerts"));

        await h.RecordAsync(test, RunStatus.Passed);
        await h.DeliverAsync();
        var close = Assert.Single(h.Http.At($"/og/v2/alerts/byot-incident-{id}/close"));
        Assert.Equal("?identifierType=alias", close.Query);
        Assert.Equal("GenieKey og-integration-key", close.Headers["Authorization"]);
        Assert.Equal("BYOT", close.Json.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Alertmanager_receivers_get_version_4_firing_then_resolved_with_one_fingerprint_and_group_key()
    {
        var test = await h.CreateTestAsync("payments-am", "P1", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed, ["card declined"]);
        await h.DeliverAsync();
        var id = await h.OpenIncidentAsync(test);

        var firing = Assert.Single(h.Http.At("/am"));
        Assert.Equal("Bearer am-token", firing.Headers["Authorization"]);
        var f = firing.Json;
        Assert.Equal("4", f.GetProperty("version").GetString());
        Assert.Equal("firing", f.GetProperty("status").GetString());
        Assert.Equal("am", f.GetProperty("receiver").GetString());
        Assert.Equal($"{{}}:{{incident=\"byot-incident-{id}\"}}", f.GetProperty("groupKey").GetString());
        Assert.Equal(0, f.GetProperty("truncatedAlerts").GetInt32());
        Assert.Equal("https://byot.example.test", f.GetProperty("externalURL").GetString());
        var alert = Assert.Single(f.GetProperty("alerts").EnumerateArray());
        Assert.Equal("firing", alert.GetProperty("status").GetString());
        var labels = alert.GetProperty("labels");
        Assert.Equal(("ByotTestFailing", "P1", "payments-am"), (labels.GetProperty("alertname").GetString(), labels.GetProperty("severity").GetString(), labels.GetProperty("test").GetString()));
        Assert.Equal("[P1] payments-am is failing", alert.GetProperty("annotations").GetProperty("summary").GetString());
        Assert.Contains("card declined", alert.GetProperty("annotations").GetProperty("description").GetString()!, StringComparison.Ordinal);
        Assert.Equal(AlertmanagerSender.StillFiring, alert.GetProperty("endsAt").GetString());
        Assert.Equal(AlertHarness.MondayMorning, alert.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Matches("^[0-9a-f]{16}$", alert.GetProperty("fingerprint").GetString()!);
        Assert.StartsWith("https://byot.example.test/runs/", alert.GetProperty("generatorURL").GetString()!, StringComparison.Ordinal);
        Assert.Equal(labels.GetRawText(), f.GetProperty("commonLabels").GetRawText());

        // A reminder fires again, as Alertmanager's repeat_interval does.
        h.Time.Advance(TimeSpan.FromMinutes(61));
        await h.DeliverAsync();
        Assert.Equal(2, h.Http.At("/am").Count);
        Assert.Equal("firing", h.Http.At("/am")[1].Json.GetProperty("status").GetString());

        await h.RecordAsync(test, RunStatus.Passed);
        await h.DeliverAsync();
        var resolved = h.Http.At("/am")[^1].Json;
        Assert.Equal("resolved", resolved.GetProperty("status").GetString());
        var done = Assert.Single(resolved.GetProperty("alerts").EnumerateArray());
        Assert.Equal("resolved", done.GetProperty("status").GetString());
        Assert.Equal(h.Time.GetUtcNow(), done.GetProperty("endsAt").GetDateTimeOffset());
        Assert.Equal(alert.GetProperty("fingerprint").GetString(), done.GetProperty("fingerprint").GetString());
        Assert.Equal(f.GetProperty("groupKey").GetString(), resolved.GetProperty("groupKey").GetString());
        Assert.Equal(AlertHarness.MondayMorning, done.GetProperty("startsAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_4xx_from_either_is_failed_at_once_with_the_reason_and_never_retried()
    {
        h.Http.Script("/og/v2/alerts", new Reply(422, """{"message":"Request body is not processable. Please check the errors.","errors":{"message":"Message can not be empty."}}"""));
        h.Http.Script("/am", new Reply(400, "bad alert group"));
        var test = await h.CreateTestAsync("refused", "P1", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed);

        var pass = await h.DeliverAsync();
        Assert.Equal((0, 0, 2), (pass.Sent, pass.Retrying, pass.Failed));
        var alerts = await h.AlertsAsync(test);
        var og = Notification(alerts, "og");
        Assert.Equal(("failed", 1, 422), (og.GetProperty("status").GetString(), og.GetProperty("attempts").GetInt32(), og.GetProperty("lastStatusCode").GetInt32()));
        Assert.StartsWith("422 ", og.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Contains("Message can not be empty.", og.GetProperty("lastError").GetString()!, StringComparison.Ordinal);
        Assert.Equal("400 Bad Request: bad alert group", Notification(alerts, "am").GetProperty("lastError").GetString());

        h.Time.Advance(TimeSpan.FromMinutes(30));
        await h.DeliverAsync();
        Assert.Single(h.Http.At("/og/v2/alerts"));
        Assert.Single(h.Http.At("/am"));
    }

    [Fact]
    public async Task A_5xx_and_a_timeout_from_either_are_retried_with_backoff_then_sent()
    {
        h.Http.Script("/og/v2/alerts", new Reply(503, "maintenance"), new Reply(202, "{}", Delay: TimeSpan.FromSeconds(5)));
        h.Http.Script("/am", new Reply(500, "oops"), new Reply(200, "ok", Delay: TimeSpan.FromSeconds(5)));
        var test = await h.CreateTestAsync("flaky-endpoints", "P1", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed);

        await h.DeliverAsync();
        var alerts = await h.AlertsAsync(test);
        foreach (var (channel, code) in new[] { ("og", 503), ("am", 500) })
        {
            var n = Notification(alerts, channel);
            Assert.Equal(("pending", 1, code), (n.GetProperty("status").GetString(), n.GetProperty("attempts").GetInt32(), n.GetProperty("lastStatusCode").GetInt32()));
            Assert.Equal(h.Time.GetUtcNow().AddSeconds(15), n.GetProperty("nextAttemptAt").GetDateTimeOffset());
        }

        h.Time.Advance(TimeSpan.FromSeconds(15));
        await h.DeliverAsync();
        alerts = await h.AlertsAsync(test);
        foreach (var channel in BothChannels)
        {
            var n = Notification(alerts, channel);
            Assert.Equal(("pending", 2), (n.GetProperty("status").GetString(), n.GetProperty("attempts").GetInt32()));
            Assert.Equal("No answer within 2 s.", n.GetProperty("lastError").GetString());
        }

        h.Time.Advance(TimeSpan.FromSeconds(30));
        await h.DeliverAsync();
        alerts = await h.AlertsAsync(test);
        Assert.All(BothChannels, c => Assert.Equal(("sent", 3), (Notification(alerts, c).GetProperty("status").GetString(), Notification(alerts, c).GetProperty("attempts").GetInt32())));
        var creates = h.Http.At("/og/v2/alerts");
        Assert.Equal(3, creates.Count);
        Assert.Single(creates.Select(r => r.Json.GetProperty("alias").GetString()).Distinct());
        Assert.Single(h.Http.At("/am").Select(r => r.Json.GetProperty("alerts")[0].GetProperty("fingerprint").GetString()).Distinct());
    }

    private static JsonElement Notification(JsonElement alerts, string channel, string kind = "trigger") =>
        alerts.GetProperty("incidents")[0].GetProperty("notifications").EnumerateArray()
            .Single(n => n.GetProperty("channel").GetString() == channel && n.GetProperty("kind").GetString() == kind);
}
