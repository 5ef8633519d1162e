using System.Text;
using System.Text.Json;
using Byot.Functions.Http;
using Byot.Shared.Alerts;
using Byot.Shared.Artifacts;
using Byot.Shared.Cases;
using Byot.Shared.Completion;
using Byot.Shared.Domain;
using Byot.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>The Functions app's real services on an environment, with a fake clock, a local HTTP receiver for every
/// HTTP channel and a local SMTP server, routed as in the README table. Results are recorded through RunStore's claim
/// and RunCompletion, exactly as the runner records them, so the decision is made in the result's transaction.</summary>
public sealed class AlertHarness : IAsyncDisposable
{
    public const string RunnerId = "alert-tests";
    public const string WebhookSecret = "whsec-test-0123456789";

    /// <summary>Monday 23 November 2026, 10:00 UTC: inside the default business hours (Mon-Fri 09:00-17:00 UTC).</summary>
    public static readonly DateTimeOffset MondayMorning = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private AlertHarness(FunctionsClient client, HttpReceiver http, SmtpReceiver smtp, FakeTimeProvider time, Dictionary<string, string?> settings)
    {
        Settings = settings;
        Client = client;
        Http = http;
        Smtp = smtp;
        Time = time;
        Api = new ByotApi(client);
    }

    public FunctionsClient Client { get; }

    /// <summary>The alerting settings, for another host (the runner) that evaluates results with the same routes.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    public ByotApi Api { get; }

    public HttpReceiver Http { get; }

    public SmtpReceiver Smtp { get; }

    public FakeTimeProvider Time { get; }

    public RunStore Runs => Client.Services.GetRequiredService<RunStore>();

    public RunCompletion Completion => Client.Services.GetRequiredService<RunCompletion>();

    public static async Task<AlertHarness> StartAsync(ByotEnvironment environment, DateTimeOffset? now = null, IDictionary<string, string?>? extra = null)
    {
        // A previous test of the same class may have left notifications pending; they are not this test's.
        await environment.ScalarAsync("WITH d AS (UPDATE notifications SET status = 'superseded' WHERE status = 'pending' RETURNING 1) SELECT count(*) FROM d");
        await environment.ScalarAsync("WITH d AS (UPDATE incidents SET next_reminder_at = NULL, next_escalation_at = NULL RETURNING 1) SELECT count(*) FROM d");

        var http = await HttpReceiver.StartAsync();
        var smtp = SmtpReceiver.Start();
        var time = new FakeTimeProvider(now ?? MondayMorning);
        var settings = new Dictionary<string, string?>
        {
            ["Byot:Alerts:PublicBaseUrl"] = "https://byot.example.test/",
            ["Byot:Alerts:LogLines"] = "3",
            ["Byot:Alerts:Channels:pd-high:Type"] = "PagerDuty",
            ["Byot:Alerts:Channels:pd-high:Url"] = http.Url("/pd"),
            ["Byot:Alerts:Channels:pd-high:RoutingKey"] = "rk-high",
            ["Byot:Alerts:Channels:pd-high:Urgency"] = "high",
            ["Byot:Alerts:Channels:pd-low:Type"] = "PagerDuty",
            ["Byot:Alerts:Channels:pd-low:Url"] = http.Url("/pd"),
            ["Byot:Alerts:Channels:pd-low:RoutingKey"] = "rk-low",
            ["Byot:Alerts:Channels:pd-low:Urgency"] = "low",
            ["Byot:Alerts:Channels:slack:Type"] = "Slack",
            ["Byot:Alerts:Channels:slack:Url"] = http.Url("/slack"),
            ["Byot:Alerts:Channels:teams:Type"] = "Teams",
            ["Byot:Alerts:Channels:teams:Url"] = http.Url("/teams"),
            ["Byot:Alerts:Channels:hook:Type"] = "Webhook",
            ["Byot:Alerts:Channels:hook:Url"] = http.Url("/hook"),
            ["Byot:Alerts:Channels:hook:Secret"] = WebhookSecret,
            ["Byot:Alerts:Channels:ops-mail:Type"] = "Email",
            ["Byot:Alerts:Channels:ops-mail:SmtpHost"] = "127.0.0.1",
            ["Byot:Alerts:Channels:ops-mail:SmtpPort"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Byot:Alerts:Channels:ops-mail:From"] = "byot@example.test",
            ["Byot:Alerts:Channels:ops-mail:To"] = "ops@example.test, platform@example.test",
            ["Byot:Alerts:P0:Channels"] = "pd-high,slack",
            ["Byot:Alerts:P1:Channels"] = "pd-low,teams",
            ["Byot:Alerts:P2:Channels"] = "slack,hook",
            ["Byot:Alerts:Operator:Channels"] = "ops-mail",
            ["Byot:Alerts:Digest:Channels"] = "ops-mail,hook",
            ["Byot:Alerts:Delivery:InProcessRetries"] = "0",
            ["Byot:Alerts:Delivery:TimeoutSeconds"] = "2",
            ["Byot:Alerts:Delivery:ClaimSeconds"] = "60",
        };
        // "{receiver}" in an extra setting is the local HTTP receiver's base URL, known only once it listens.
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value?.Replace("{receiver}", http.BaseUrl, StringComparison.Ordinal);
        }

        var client = new FunctionsClient(environment, settings, services => services.AddSingleton<TimeProvider>(time));
        return new AlertHarness(client, http, smtp, time, settings);
    }

    public async Task<Guid> CreateTestAsync(string name, string severity, int threshold = 3)
    {
        var response = await Api.UploadAsync("#!/bin/sh\nexit 0\n"u8.ToArray(), "checkout.test",
            [("runtime", "go"), ("severity", severity), ("name", name), ("failure_threshold", threshold.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        Assert.True(response.Status == 201, response.ToString());
        return response.Json.GetProperty("id").GetGuid();
    }

    /// <summary>Records one run of the test with the given result, as a runner would: a log blob, claim, complete.</summary>
    public async Task<Guid> RecordAsync(
        Guid testId, RunStatus status, string[]? logLines = null, string? error = null, string trigger = RunTrigger.Manual, RunCases? cases = null, DateTimeOffset? queuedAt = null)
    {
        var runId = Guid.NewGuid();
        Assert.NotNull(await Runs.CreateManualAsync(runId, testId, CancellationToken.None));
        if (queuedAt is { } at)
        {
            await using var command = Client.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand("UPDATE runs SET queued_at = @at WHERE id = @id");
            command.Parameters.AddWithValue("at", at.ToUniversalTime());
            command.Parameters.AddWithValue("id", runId);
            await command.ExecuteNonQueryAsync();
        }

        if (trigger != RunTrigger.Manual)
        {
            await using var command = Client.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand("UPDATE runs SET trigger = @trigger WHERE id = @id");
            command.Parameters.AddWithValue("trigger", trigger);
            command.Parameters.AddWithValue("id", runId);
            await command.ExecuteNonQueryAsync();
        }

        var log = string.Concat((logLines ?? []).Select(l => $"2026-11-23T10:00:00.000Z [stdout] {l}\n"));
        var blob = RunStore.LogBlobName(runId);
        var logs = Client.Services.GetRequiredService<LogStore>();
        await logs.CreateAsync(blob, CancellationToken.None);
        var bytes = Encoding.UTF8.GetBytes(log);
        if (bytes.Length > 0)
        {
            await logs.AppendAsync(blob, bytes, 0, CancellationToken.None);
        }

        Assert.NotNull(await Runs.ClaimAsync(runId, RunnerId, TimeSpan.FromMinutes(1), CancellationToken.None));
        int? exit = status switch { RunStatus.Passed => 0, RunStatus.Failed => 3, RunStatus.Oom => 137, _ => null };
        Assert.True(await Completion.CompleteAsync(runId, RunnerId, new RunOutcome(status, exit, 1234, bytes.Length, false, error, cases), CancellationToken.None));
        return runId;
    }

    public async Task RecordManyAsync(Guid testId, params RunStatus[] statuses)
    {
        foreach (var status in statuses)
        {
            await RecordAsync(testId, status);
        }
    }

    public Task<DeliveryPass> DeliverAsync() => Client.Services.GetRequiredService<AlertDeliveryService>().DeliverAsync(CancellationToken.None);

    public Task<int> DigestAsync() => Client.Services.GetRequiredService<DigestService>().EnqueueWeeklyAsync(CancellationToken.None);

    public async Task<JsonElement> AlertsAsync(Guid testId)
    {
        var response = await Client.InvokeAsync("GET", $"/tests/{testId}/alerts",
            r => Client.Function<AlertsFunctions>().GetTestAlerts(r, testId.ToString(), CancellationToken.None));
        Assert.True(response.Status == 200, response.ToString());
        return response.Json.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Http.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
