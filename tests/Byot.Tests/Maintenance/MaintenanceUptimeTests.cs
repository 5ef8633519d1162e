using System.Text.Json;
using Byot.Functions.Http;
using Byot.Shared.Domain;
using Byot.Tests.Alerts;
using Xunit;

namespace Byot.Tests.Maintenance;

/// <summary>Results recorded during a mute window are marked in_maintenance and left out of every uptime: the test's
/// stats, the status page and /status.json. The mark is decided with the controlled clock when the result is recorded.</summary>
public sealed class MaintenanceUptimeTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private AlertHarness h = null!;

    public async Task InitializeAsync() =>
        h = await AlertHarness.StartAsync(environment, extra: new Dictionary<string, string?> { ["Byot:Status:Public"] = "true" });

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task Failures_during_a_mute_window_are_in_maintenance_and_do_not_lower_uptime()
    {
        var test = await h.CreateTestAsync("Uptime checkout", "P1", threshold: 5);
        await MuteAsync(test, "mute", from: 10, until: 40);

        var before = await h.RecordAsync(test, RunStatus.Passed);
        h.Time.Advance(TimeSpan.FromMinutes(15));
        var during1 = await h.RecordAsync(test, RunStatus.Failed);
        var during2 = await h.RecordAsync(test, RunStatus.Failed);
        h.Time.Advance(TimeSpan.FromMinutes(25));
        var after = await h.RecordAsync(test, RunStatus.Passed);

        Assert.False(await InMaintenanceAsync(before));
        Assert.True(await InMaintenanceAsync(during1));
        Assert.True(await InMaintenanceAsync(during2));
        Assert.False(await InMaintenanceAsync(after));

        var history = await h.Api.HistoryAsync(test.ToString());
        Assert.Equal(2, history.Json.GetProperty("runs").EnumerateArray().Count(r => r.GetProperty("inMaintenance").GetBoolean()));

        // Two passes outside the window, two failures inside it: uptime is 100 %, not 50 %.
        var stats = await h.Api.StatsAsync(test.ToString());
        Assert.True(stats.Status == 200, stats.ToString());
        Assert.Equal(1.0, stats.Json.GetProperty("uptime").GetProperty("24h").GetDouble());
        Assert.Equal(1.0, stats.Json.GetProperty("uptime").GetProperty("30d").GetDouble());

        var flow = await FlowAsync(test);
        Assert.Equal(1.0, flow.GetProperty("uptime24h").GetDouble());
        Assert.Equal(1.0, flow.GetProperty("uptime7d").GetDouble());
    }

    [Fact]
    public async Task A_failure_outside_any_window_still_counts_and_a_pause_window_marks_nothing()
    {
        var test = await h.CreateTestAsync("Uptime cart", "P1", threshold: 5);
        await MuteAsync(test, "pause", from: 0, until: 60);

        var passed = await h.RecordAsync(test, RunStatus.Passed);
        var failed = await h.RecordAsync(test, RunStatus.Failed);

        Assert.False(await InMaintenanceAsync(passed));
        Assert.False(await InMaintenanceAsync(failed));
        var stats = await h.Api.StatsAsync(test.ToString());
        Assert.Equal(0.5, stats.Json.GetProperty("uptime").GetProperty("24h").GetDouble());
        Assert.Equal(0.5, (await FlowAsync(test)).GetProperty("uptime24h").GetDouble());
    }

    [Fact]
    public async Task A_test_with_only_results_in_maintenance_has_no_uptime_rather_than_zero()
    {
        var test = await h.CreateTestAsync("Uptime login", "P1", threshold: 5);
        await MuteAsync(test, "mute", from: 0, until: 60);

        var failed = await h.RecordAsync(test, RunStatus.Failed);

        Assert.True(await InMaintenanceAsync(failed));
        var stats = await h.Api.StatsAsync(test.ToString());
        Assert.Equal(JsonValueKind.Null, stats.Json.GetProperty("uptime").GetProperty("24h").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await FlowAsync(test)).GetProperty("uptime24h").ValueKind);
    }

    private async Task<bool> InMaintenanceAsync(Guid run)
    {
        var response = await h.Api.GetRunAsync(run.ToString());
        Assert.True(response.Status == 200, response.ToString());
        return response.Json.GetProperty("inMaintenance").GetBoolean();
    }

    private async Task<JsonElement> FlowAsync(Guid test)
    {
        var json = await h.Client.InvokeAsync("GET", "/status.json", r => h.Client.Function<StatusFunctions>().Json(r, CancellationToken.None));
        Assert.True(json.Status == 200, json.ToString());
        return json.Json.GetProperty("flows").EnumerateArray().Single(f => f.GetProperty("id").GetGuid() == test).Clone();
    }

    private async Task MuteAsync(Guid test, string mode, int from, int until)
    {
        var body = $$"""
            {"name": "Planned work", "mode": "{{mode}}", "startsAt": "{{h.Time.GetUtcNow().AddMinutes(from):O}}",
             "endsAt": "{{h.Time.GetUtcNow().AddMinutes(until):O}}", "tests": ["{{test}}"]}
            """;
        await h.Client.CreateMaintenanceOkAsync(body);
    }
}
