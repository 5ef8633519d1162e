using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Byot.Shared.Domain;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>Threshold, severity routing, exact payloads on every channel, recovery, reminders and the business-hours
/// hold, against real local receivers.</summary>
public sealed class AlertRoutingTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private static readonly string[] Log = ["open /checkout", "add to cart ok", "✗ Pay button not found", "exit 3"];

    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment);

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task P0_pages_PagerDuty_at_high_urgency_and_chat_once_the_threshold_is_reached_then_resolves_with_a_recovery_notice()
    {
        var test = await h.CreateTestAsync("checkout", "P0", threshold: 3);

        await h.RecordManyAsync(test, RunStatus.Failed, RunStatus.TimedOut);
        await h.DeliverAsync();
        Assert.Empty(h.Http.Requests);
        var below = await h.AlertsAsync(test);
        Assert.Equal(2, below.GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal(JsonValueKind.Null, below.GetProperty("openIncident").ValueKind);

        var run = await h.RecordAsync(test, RunStatus.Failed, Log);
        var pass = await h.DeliverAsync();
        Assert.Equal(2, pass.Sent);

        var incident = (await h.AlertsAsync(test)).GetProperty("openIncident");
        var dedupKey = incident.GetProperty("dedupKey").GetString()!;
        Assert.Equal("byot-incident-" + incident.GetProperty("id").GetString(), dedupKey);
        var runUrl = $"https://byot.example.test/runs/{run:D}";
        var since = AlertHarness.MondayMorning.ToString("O", CultureInfo.InvariantCulture);
        var expectedTrigger = JsonNode.Parse($$"""
            {
              "routing_key": "rk-high",
              "event_action": "trigger",
              "dedup_key": "{{dedupKey}}",
              "payload": {
                "summary": "[P0] checkout is failing",
                "source": "byot",
                "severity": "critical",
                "timestamp": "{{since}}",
                "component": "checkout",
                "group": "byot-P0",
                "class": "failed",
                "custom_details": {
                  "test_id": "{{test:D}}",
                  "failing_since": "{{since}}",
                  "consecutive_failures": 3,
                  "last_run_status": "failed",
                  "exit_code": 3,
                  "error": null,
                  "run_url": "{{runUrl}}",
                  "last_log_lines": "2026-11-23T10:00:00.000Z [stdout] add to cart ok\n2026-11-23T10:00:00.000Z [stdout] ✗ Pay button not found\n2026-11-23T10:00:00.000Z [stdout] exit 3"
                }
              },
              "client": "BYOT",
              "client_url": "{{runUrl}}",
              "links": [ { "href": "{{runUrl}}", "text": "The failing run in BYOT" } ]
            }
            """);
        var trigger = Assert.Single(h.Http.At("/pd"));
        Assert.StartsWith("application/json", trigger.Headers["Content-Type"], StringComparison.Ordinal);
        AssertJson(expectedTrigger, trigger.Text);

        var slack = Assert.Single(h.Http.At("/slack"));
        AssertJson(new JsonObject
        {
            ["text"] = $"*[P0] checkout is failing*\nTest: checkout (P0, id {test:D})\n"
                + "Failing since 2026-11-23 10:00:00 UTC: 3 consecutive failure(s) when the incident opened.\n"
                + $"Last run: failed (exit code 3) {runUrl}\n"
                + "Last log lines:\n```\n2026-11-23T10:00:00.000Z [stdout] add to cart ok\n2026-11-23T10:00:00.000Z [stdout] ✗ Pay button not found\n2026-11-23T10:00:00.000Z [stdout] exit 3\n```",
        }, slack.Text);

        // Further failures of the same incident page nobody again.
        await h.RecordManyAsync(test, RunStatus.Oom, RunStatus.Failed);
        await h.DeliverAsync();
        Assert.Equal(2, h.Http.Requests.Count);

        h.Time.Advance(TimeSpan.FromMinutes(5));
        var passRun = await h.RecordAsync(test, RunStatus.Passed);
        await h.DeliverAsync();
        Assert.Equal(2, h.Http.At("/pd").Count);
        AssertJson(JsonNode.Parse($$"""{ "routing_key": "rk-high", "event_action": "resolve", "dedup_key": "{{dedupKey}}" }"""), h.Http.At("/pd")[1].Text);
        AssertJson(new JsonObject
        {
            ["text"] = $"*[P0] Resolved: checkout passes again*\nTest: checkout (P0, id {test:D})\n"
                + "Was failing since 2026-11-23 10:00:00 UTC; recovered 2026-11-23 10:05:00 UTC.\n"
                + $"Last run: passed (exit code 0) https://byot.example.test/runs/{passRun:D}",
        }, h.Http.At("/slack")[1].Text);

        var after = await h.AlertsAsync(test);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("openIncident").ValueKind);
        var closed = after.GetProperty("incidents")[0];
        Assert.Equal(5, closed.GetProperty("failureCount").GetInt32());
        Assert.Equal(AlertHarness.MondayMorning.AddMinutes(5), closed.GetProperty("resolvedAt").GetDateTimeOffset());
        Assert.All(closed.GetProperty("notifications").EnumerateArray(), n => Assert.Equal("sent", n.GetProperty("status").GetString()));
        Assert.Equal(["pd-high:trigger", "slack:trigger", "pd-high:resolve", "slack:resolve"],
            closed.GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("channel").GetString() + ":" + n.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task P1_pages_PagerDuty_at_low_urgency_and_posts_an_adaptive_card_to_Teams()
    {
        var test = await h.CreateTestAsync("login", "P1", threshold: 1);
        var run = await h.RecordAsync(test, RunStatus.Oom, Log, error: "Killed: out of memory (512 MB)");
        await h.DeliverAsync();

        var pd = Assert.Single(h.Http.At("/pd")).Json;
        Assert.Equal("rk-low", pd.GetProperty("routing_key").GetString());
        Assert.Equal("warning", pd.GetProperty("payload").GetProperty("severity").GetString());
        Assert.Equal("[P1] login is failing", pd.GetProperty("payload").GetProperty("summary").GetString());
        Assert.Equal("oom", pd.GetProperty("payload").GetProperty("class").GetString());
        Assert.Empty(h.Http.At("/slack"));

        var runUrl = $"https://byot.example.test/runs/{run:D}";
        var expected = JsonNode.Parse($$"""
            {
              "type": "message",
              "attachments": [ {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": null,
                "content": {
                  "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                  "type": "AdaptiveCard",
                  "version": "1.4",
                  "body": [
                    { "type": "RichTextBlock", "inlines": [{ "type": "TextRun", "text": "[P1] login is failing", "size": "Medium", "weight": "Bolder" }] },
                    { "type": "RichTextBlock", "inlines": [{ "type": "TextRun", "text": "Test: login (P1, id {{test:D}})\nFailing since 2026-11-23 10:00:00 UTC: 1 consecutive failure(s) when the incident opened.\nLast run: oom (exit code 137) {{runUrl}}\nKilled: out of memory (512 MB)" }] },
                    { "type": "TextBlock", "text": "Last log lines:", "weight": "Bolder", "wrap": true },
                    { "type": "RichTextBlock", "inlines": [{ "type": "TextRun", "text": "2026-11-23T10:00:00.000Z [stdout] add to cart ok\n2026-11-23T10:00:00.000Z [stdout] ✗ Pay button not found\n2026-11-23T10:00:00.000Z [stdout] exit 3", "fontType": "Monospace" }] }
                  ],
                  "actions": [ { "type": "Action.OpenUrl", "title": "Open the run", "url": "{{runUrl}}" } ]
                }
              } ]
            }
            """);
        AssertJson(expected, Assert.Single(h.Http.At("/teams")).Text);
    }

    [Fact]
    public async Task P2_in_business_hours_goes_to_chat_and_a_webhook_signed_with_HMAC_SHA256_over_timestamp_and_body()
    {
        var test = await h.CreateTestAsync("search", "P2", threshold: 2);
        await h.RecordAsync(test, RunStatus.Failed);
        var run = await h.RecordAsync(test, RunStatus.Failed, Log);
        await h.DeliverAsync();

        Assert.Empty(h.Http.At("/pd"));
        Assert.Single(h.Http.At("/slack"));
        var hook = Assert.Single(h.Http.At("/hook"));
        var timestamp = hook.Headers["X-Byot-Timestamp"];
        Assert.Equal(AlertHarness.MondayMorning.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), timestamp);
        Assert.Equal(ExpectedSignature(AlertHarness.WebhookSecret, timestamp, hook.Body), hook.Headers["X-Byot-Signature"]);
        Assert.NotEqual(ExpectedSignature("another-secret", timestamp, hook.Body), hook.Headers["X-Byot-Signature"]);
        Assert.Equal("trigger", hook.Headers["X-Byot-Event"]);

        var incident = (await h.AlertsAsync(test)).GetProperty("openIncident");
        var notification = incident.GetProperty("notifications").EnumerateArray().Single(n => n.GetProperty("channel").GetString() == "hook");
        Assert.Equal(notification.GetProperty("id").GetString(), hook.Headers["X-Byot-Delivery"]);
        var body = hook.Json;
        Assert.Equal("trigger", body.GetProperty("event").GetString());
        Assert.Equal("P2", body.GetProperty("severity").GetString());
        Assert.Equal(incident.GetProperty("dedupKey").GetString(), body.GetProperty("incident").GetProperty("dedupKey").GetString());
        Assert.Equal(2, body.GetProperty("incident").GetProperty("failureCount").GetInt32());
        Assert.Equal("search", body.GetProperty("test").GetProperty("name").GetString());
        Assert.Equal($"https://byot.example.test/runs/{run:D}", body.GetProperty("run").GetProperty("url").GetString());
        Assert.Equal(["add to cart ok", "✗ Pay button not found", "exit 3"],
            body.GetProperty("logLines").EnumerateArray().Select(l => l.GetString()!.Split("[stdout] ")[1]));
    }

    [Fact]
    public async Task P2_outside_business_hours_is_held_until_the_window_opens_and_dropped_if_it_recovers_first()
    {
        // Saturday 28 November 2026, 03:00 UTC.
        h.Time.SetUtcNow(new DateTimeOffset(2026, 11, 28, 3, 0, 0, TimeSpan.Zero));
        var held = await h.CreateTestAsync("reports", "P2", threshold: 1);
        var recovered = await h.CreateTestAsync("export", "P2", threshold: 1);
        await h.RecordAsync(held, RunStatus.Failed, Log);
        await h.RecordAsync(recovered, RunStatus.Failed);
        await h.DeliverAsync();
        Assert.Empty(h.Http.Requests);

        h.Time.SetUtcNow(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        await h.RecordAsync(recovered, RunStatus.Passed);
        h.Time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 8, 59, 59, TimeSpan.Zero));
        await h.DeliverAsync();
        Assert.Empty(h.Http.Requests);

        h.Time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        await h.DeliverAsync();
        Assert.Equal("*[P2] reports is failing*", Assert.Single(h.Http.At("/slack")).Json.GetProperty("text").GetString()!.Split('\n')[0]);
        Assert.Equal("[P2] reports is failing", Assert.Single(h.Http.At("/hook")).Json.GetProperty("title").GetString());

        var withdrawn = (await h.AlertsAsync(recovered)).GetProperty("incidents")[0].GetProperty("notifications").EnumerateArray().ToList();
        Assert.Equal(["superseded", "superseded"], withdrawn.Select(n => n.GetProperty("status").GetString()));
        Assert.All(withdrawn, n => Assert.Equal("trigger", n.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Reminders_go_to_chat_while_an_incident_stays_open_and_stop_when_it_resolves()
    {
        var test = await h.CreateTestAsync("payments", "P0", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed, Log);
        await h.DeliverAsync();
        Assert.Single(h.Http.At("/slack"));

        h.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(0, (await h.DeliverAsync()).Reminders);
        Assert.Single(h.Http.At("/slack"));

        h.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await h.DeliverAsync()).Reminders);
        var reminder = h.Http.At("/slack")[1].Json.GetProperty("text").GetString()!;
        Assert.StartsWith("*[P0] Reminder 1: payments is still failing*\n", reminder, StringComparison.Ordinal);
        Assert.Contains("✗ Pay button not found", reminder, StringComparison.Ordinal);
        Assert.Contains("\nStill failing since 2026-11-23 10:00:00 UTC: 1 failure(s) so far.\n", reminder, StringComparison.Ordinal);

        h.Time.Advance(TimeSpan.FromMinutes(30));
        await h.DeliverAsync();
        Assert.StartsWith("*[P0] Reminder 2: payments", h.Http.At("/slack")[2].Json.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Single(h.Http.At("/pd"));

        await h.RecordAsync(test, RunStatus.Passed);
        await h.DeliverAsync();
        h.Time.Advance(TimeSpan.FromHours(3));
        await h.DeliverAsync();
        Assert.Equal(4, h.Http.At("/slack").Count);
        Assert.StartsWith("*[P0] Resolved: payments passes again*", h.Http.At("/slack")[3].Json.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(["trigger", "resolve"], h.Http.At("/pd").Select(r => r.Json.GetProperty("event_action").GetString()));
        Assert.Equal(2, (await h.AlertsAsync(test)).GetProperty("incidents")[0].GetProperty("remindersSent").GetInt32());
    }

    [Fact]
    public async Task Cancelled_and_skipped_runs_neither_count_nor_break_a_streak()
    {
        var test = await h.CreateTestAsync("catalog", "P0", threshold: 2);
        await h.RecordAsync(test, RunStatus.Failed);
        await h.RecordAsync(test, RunStatus.Cancelled);
        await h.DeliverAsync();
        Assert.Empty(h.Http.Requests);
        Assert.Equal(1, (await h.AlertsAsync(test)).GetProperty("consecutiveFailures").GetInt32());

        await h.RecordAsync(test, RunStatus.Failed);
        await h.DeliverAsync();
        Assert.Single(h.Http.At("/pd"));
    }

    [Fact]
    public async Task A_test_overrides_its_severity_defaults_through_PATCH_alerts_and_the_evaluator_follows_them()
    {
        var test = await h.CreateTestAsync("profile", "P0", threshold: 3);
        var defaults = await h.AlertsAsync(test);
        Assert.Equal((3, 30, 1), (defaults.GetProperty("failureThreshold").GetInt32(), defaults.GetProperty("reminderMinutes").GetInt32(), defaults.GetProperty("resolveAfterPasses").GetInt32()));

        var refused = await PatchAsync(test, """{"reminderMinutes": 0}""");
        Assert.Equal(400, refused.Status);
        Assert.Contains("reminderMinutes", refused.Text, StringComparison.Ordinal);
        Assert.Equal(400, (await PatchAsync(test, """{"severity": "P3"}""")).Status);
        Assert.Equal(400, (await PatchAsync(test, "not json")).Status);
        Assert.Equal(404, (await PatchAsync(Guid.NewGuid(), "{}")).Status);

        var patched = await PatchAsync(test, """{"failureThreshold": 2, "reminderMinutes": 5, "resolveAfterPasses": 2}""");
        Assert.True(patched.Status == 200, patched.ToString());
        Assert.Equal((2, 5, 2), (patched.Json.GetProperty("failureThreshold").GetInt32(), patched.Json.GetProperty("reminderMinutes").GetInt32(), patched.Json.GetProperty("resolveAfterPasses").GetInt32()));

        await h.RecordManyAsync(test, RunStatus.Failed, RunStatus.Failed);
        await h.DeliverAsync();
        Assert.Single(h.Http.At("/pd"));
        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.DeliverAsync();
        Assert.StartsWith("*[P0] Reminder 1: profile", h.Http.At("/slack")[1].Json.GetProperty("text").GetString(), StringComparison.Ordinal);

        await h.RecordAsync(test, RunStatus.Passed);
        await h.DeliverAsync();
        Assert.Single(h.Http.At("/pd"));
        Assert.Equal(1, (await h.AlertsAsync(test)).GetProperty("consecutivePasses").GetInt32());
        await h.RecordAsync(test, RunStatus.Passed);
        await h.DeliverAsync();
        Assert.Equal("resolve", h.Http.At("/pd")[1].Json.GetProperty("event_action").GetString());

        var reset = await PatchAsync(test, """{"reminderMinutes": null}""");
        Assert.Equal(30, reset.Json.GetProperty("reminderMinutes").GetInt32());
        Assert.Equal(2, reset.Json.GetProperty("resolveAfterPasses").GetInt32());
    }

    private Task<TestResponse> PatchAsync(Guid test, string json) =>
        h.Client.InvokeAsync("PATCH", $"/tests/{test}/alerts",
            r => h.Client.Function<Byot.Functions.Http.AlertsFunctions>().UpdateTestAlerts(r, test.ToString(), CancellationToken.None),
            new MemoryStream(Encoding.UTF8.GetBytes(json)), "application/json");

    internal static string ExpectedSignature(string secret, string timestamp, byte[] body)
    {
        var signed = Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray();
        return "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    internal static void AssertJson(JsonNode? expected, string actual)
    {
        var parsed = JsonNode.Parse(actual);
        Assert.True(JsonNode.DeepEquals(expected, parsed), $"expected:\n{expected?.ToJsonString()}\nactual:\n{parsed?.ToJsonString()}");
    }
}
