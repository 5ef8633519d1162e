using System.Text.Json;
using Byot.Shared.Domain;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>docs/reliability.md rows 25 and 26: endpoints that answer 429/5xx or time out are retried with backoff under one
/// dedup key (one incident, one page); endpoints that refuse the message are not retried forever.</summary>
public sealed class AlertDeliveryFaultTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment);

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task Row25_503_429_and_a_timeout_are_retried_with_backoff_and_the_incident_is_paged_once_under_one_dedup_key()
    {
        h.Http.Script("/pd",
            new Reply(503, "upstream unavailable"),
            new Reply(429, """{"status":"throttle event"}""", RetryAfterSeconds: 120),
            new Reply(202, "{}", Delay: TimeSpan.FromSeconds(6)));
        var test = await h.CreateTestAsync("checkout-retry", "P0", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed);

        await h.DeliverAsync();
        var pd = Notification(await h.AlertsAsync(test), "pd-high");
        Assert.Equal(("pending", 1, 503), (pd.GetProperty("status").GetString(), pd.GetProperty("attempts").GetInt32(), pd.GetProperty("lastStatusCode").GetInt32()));
        Assert.Equal("503 Service Unavailable: upstream unavailable", pd.GetProperty("lastError").GetString());
        Assert.Equal(AlertHarness.MondayMorning.AddSeconds(15), pd.GetProperty("nextAttemptAt").GetDateTimeOffset());
        Assert.Single(h.Http.At("/slack"));

        // Not due yet: nothing is sent before the backoff has passed.
        h.Time.Advance(TimeSpan.FromSeconds(14));
        await h.DeliverAsync();
        Assert.Single(h.Http.At("/pd"));

        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.DeliverAsync();
        pd = Notification(await h.AlertsAsync(test), "pd-high");
        Assert.Equal(429, pd.GetProperty("lastStatusCode").GetInt32());
        // Backoff would be 30 s; the endpoint asked for 120 s.
        Assert.Equal(h.Time.GetUtcNow().AddSeconds(120), pd.GetProperty("nextAttemptAt").GetDateTimeOffset());

        h.Time.Advance(TimeSpan.FromSeconds(120));
        await h.DeliverAsync();
        pd = Notification(await h.AlertsAsync(test), "pd-high");
        Assert.Equal(("pending", 3), (pd.GetProperty("status").GetString(), pd.GetProperty("attempts").GetInt32()));
        Assert.Equal("No answer within 2 s.", pd.GetProperty("lastError").GetString());
        Assert.Equal(h.Time.GetUtcNow().AddSeconds(60), pd.GetProperty("nextAttemptAt").GetDateTimeOffset());

        h.Time.Advance(TimeSpan.FromSeconds(60));
        await h.DeliverAsync();
        pd = Notification(await h.AlertsAsync(test), "pd-high");
        Assert.Equal(("sent", 4, 202), (pd.GetProperty("status").GetString(), pd.GetProperty("attempts").GetInt32(), pd.GetProperty("lastStatusCode").GetInt32()));

        // More failures and more passes of the delivery loop: still exactly one incident and one dedup key.
        await h.RecordManyAsync(test, RunStatus.Failed, RunStatus.TimedOut);
        h.Time.Advance(TimeSpan.FromMinutes(10));
        await h.DeliverAsync();
        var requests = h.Http.At("/pd");
        Assert.Equal(4, requests.Count);
        Assert.All(requests, r => Assert.Equal("trigger", r.Json.GetProperty("event_action").GetString()));
        Assert.Single(requests.Select(r => r.Json.GetProperty("dedup_key").GetString()).Distinct());
        Assert.Single((await h.AlertsAsync(test)).GetProperty("incidents").EnumerateArray());
        Assert.Single(h.Http.At("/slack"));
    }

    [Fact]
    public async Task Row25_gives_up_after_the_maximum_attempts_with_the_last_reason_and_the_backoff_is_capped()
    {
        await using var capped = await AlertHarness.StartAsync(environment, extra: new Dictionary<string, string?>
        {
            ["Byot:Alerts:Delivery:MaxAttempts"] = "4",
            ["Byot:Alerts:Delivery:BaseDelaySeconds"] = "10",
            ["Byot:Alerts:Delivery:MaxDelaySeconds"] = "25",
        });
        capped.Http.Script("/slack", new Reply(500, "a"), new Reply(502, "b"), new Reply(503, "c"), new Reply(504, "d"), new Reply(200, "ok"));
        var test = await capped.CreateTestAsync("search-cap", "P2", threshold: 1);
        await capped.RecordAsync(test, RunStatus.Failed);

        var delays = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await capped.DeliverAsync();
            var slack = Notification(await capped.AlertsAsync(test), "slack");
            delays.Add(slack.GetProperty("nextAttemptAt").GetDateTimeOffset() - capped.Time.GetUtcNow());
            capped.Time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(25), TimeSpan.Zero], delays);
        var failed = Notification(await capped.AlertsAsync(test), "slack");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("Gave up after 4 attempts; last: 504 Gateway Timeout: d", failed.GetProperty("lastError").GetString());

        capped.Time.Advance(TimeSpan.FromHours(2));
        await capped.DeliverAsync();
        Assert.Equal(4, capped.Http.At("/slack").Count);
    }

    [Fact]
    public async Task Row26_a_400_is_recorded_as_failed_with_the_reason_and_never_retried()
    {
        h.Http.Script("/pd", new Reply(400, """{"status":"invalid event","message":"Event object is invalid","errors":["Length of 'routing_key' is incorrect (should be 32 characters)"]}"""));
        h.Http.Script("/slack", new Reply(400, "invalid_payload"));
        var test = await h.CreateTestAsync("checkout-400", "P0", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed);

        var pass = await h.DeliverAsync();
        Assert.Equal((0, 0, 2), (pass.Sent, pass.Retrying, pass.Failed));
        var alerts = await h.AlertsAsync(test);
        var pd = Notification(alerts, "pd-high");
        Assert.Equal(("failed", 1, 400), (pd.GetProperty("status").GetString(), pd.GetProperty("attempts").GetInt32(), pd.GetProperty("lastStatusCode").GetInt32()));
        Assert.Equal("""400 Bad Request: {"status":"invalid event","message":"Event object is invalid","errors":["Length of 'routing_key' is incorrect (should be 32 characters)"]}""", pd.GetProperty("lastError").GetString());
        Assert.Equal("400 Bad Request: invalid_payload", Notification(alerts, "slack").GetProperty("lastError").GetString());

        for (var i = 0; i < 5; i++)
        {
            h.Time.Advance(TimeSpan.FromHours(1));
            await h.DeliverAsync();
        }

        Assert.Single(h.Http.At("/pd"));
        // Only the hourly reminders reach Slack; the refused trigger is never sent again.
        Assert.All(h.Http.At("/slack").Skip(1), r => Assert.Contains("Reminder", r.Json.GetProperty("text").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Row26_an_SMTP_server_refusing_the_recipients_fails_the_email_at_once()
    {
        await using var operators = await AlertHarness.StartAsync(environment, extra: new Dictionary<string, string?>
        {
            ["Byot:Alerts:P1:Channels"] = "ops-mail",
        });
        operators.Smtp.RejectRecipients = true;
        var test = await operators.CreateTestAsync("mail-refused", "P1", threshold: 1);
        await operators.RecordAsync(test, RunStatus.Failed);

        await operators.DeliverAsync();
        // Long past any backoff, short of the first reminder (P1: 60 minutes).
        operators.Time.Advance(TimeSpan.FromMinutes(50));
        await operators.DeliverAsync();

        var mail = Notification(await operators.AlertsAsync(test), "ops-mail", "trigger");
        Assert.Equal(("failed", 1, 550), (mail.GetProperty("status").GetString(), mail.GetProperty("attempts").GetInt32(), mail.GetProperty("lastStatusCode").GetInt32()));
        Assert.StartsWith("SMTP refused: ", mail.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Single(operators.Smtp.Transcript, l => l.StartsWith("MAIL FROM", StringComparison.Ordinal));
        Assert.Empty(operators.Smtp.Messages);
    }

    [Fact]
    public async Task Row25_quick_in_process_retries_smooth_over_a_blip_within_one_attempt()
    {
        await using var quick = await AlertHarness.StartAsync(environment, extra: new Dictionary<string, string?>
        {
            ["Byot:Alerts:Delivery:InProcessRetries"] = "2",
            ["Byot:Alerts:Delivery:InProcessRetryDelayMilliseconds"] = "10",
        });
        quick.Http.Script("/pd", new Reply(502, "bad gateway"), new Reply(500, "oops"));
        var test = await quick.CreateTestAsync("blip", "P0", threshold: 1);
        await quick.RecordAsync(test, RunStatus.Failed);

        await quick.DeliverAsync();

        var pd = Notification(await quick.AlertsAsync(test), "pd-high");
        Assert.Equal(("sent", 1, 202), (pd.GetProperty("status").GetString(), pd.GetProperty("attempts").GetInt32(), pd.GetProperty("lastStatusCode").GetInt32()));
        var requests = quick.Http.At("/pd");
        Assert.Equal(3, requests.Count);
        Assert.Single(requests.Select(r => r.Text).Distinct());
    }

    [Fact]
    public async Task Row25_a_refused_connection_is_retried_later()
    {
        await using var unreachable = await AlertHarness.StartAsync(environment, extra: new Dictionary<string, string?>
        {
            ["Byot:Alerts:Channels:slack:Url"] = "http://127.0.0.1:1/slack",
        });
        var test = await unreachable.CreateTestAsync("unreachable", "P2", threshold: 1);
        await unreachable.RecordAsync(test, RunStatus.Failed);

        await unreachable.DeliverAsync();

        var slack = Notification(await unreachable.AlertsAsync(test), "slack");
        Assert.Equal(("pending", 1), (slack.GetProperty("status").GetString(), slack.GetProperty("attempts").GetInt32()));
        Assert.StartsWith("Request failed: ", slack.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(unreachable.Time.GetUtcNow().AddSeconds(15), slack.GetProperty("nextAttemptAt").GetDateTimeOffset());
        Assert.Equal("sent", Notification(await unreachable.AlertsAsync(test), "hook").GetProperty("status").GetString());
    }

    private static JsonElement Notification(JsonElement alerts, string channel, string kind = "trigger") =>
        alerts.GetProperty("incidents")[0].GetProperty("notifications").EnumerateArray()
            .Single(n => n.GetProperty("channel").GetString() == channel && n.GetProperty("kind").GetString() == kind);
}
