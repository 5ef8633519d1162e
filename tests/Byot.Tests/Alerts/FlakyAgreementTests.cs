using System.Text.Json;
using Byot.Functions.Http;
using Byot.Shared;
using Byot.Shared.Domain;
using Byot.Shared.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>Flaky has one definition (docs/alerting.md, "Flaky"): the alerts API, the stats and the status page judge
/// the same recorded history alike, including the cases where the status page's former rule (4 flips in 20 runs, no
/// retries) disagreed with alerts.</summary>
public sealed class FlakyAgreementTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private const RunStatus P = RunStatus.Passed;
    private const RunStatus F = RunStatus.Failed;
    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment, extra: new Dictionary<string, string?> { ["Byot:Status:Public"] = "true" });

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task Alerts_stats_and_the_status_page_agree_on_which_tests_are_flaky()
    {
        var flapping = await h.CreateTestAsync("agree-flapping", "P2", threshold: 100);
        await h.RecordManyAsync(flapping, F, P, F, P, F, P);

        // Passing only on a retry is flaky; the status page used to ignore retries.
        var retried = await h.CreateTestAsync("agree-retried", "P2", threshold: 100);
        await h.RecordAsync(retried, F);
        await h.RecordAsync(retried, P, trigger: RunTrigger.Retry);

        // Five flips, all older than the last ten counted runs: not flaky any more; the status page's 20-run window
        // used to keep it amber.
        var settled = await h.CreateTestAsync("agree-settled", "P2", threshold: 100);
        await h.RecordManyAsync(settled, F, P, F, P, F);
        await h.RecordManyAsync(settled, [.. Enumerable.Repeat(P, 10)]);

        var steady = await h.CreateTestAsync("agree-steady", "P2", threshold: 100);
        await h.RecordManyAsync(steady, P, P, F, P);

        var board = await StatusFlowsAsync();
        foreach (var (id, expected) in new[] { (flapping, true), (retried, true), (settled, false), (steady, false) })
        {
            var alerts = (await h.AlertsAsync(id)).GetProperty("flaky").GetBoolean();
            var stats = await h.Api.StatsAsync(id.ToString());
            Assert.True(stats.Status == 200, stats.ToString());
            var status = board[id].GetProperty("flaky").GetBoolean();
            Assert.True(
                alerts == expected && stats.Json.GetProperty("flaky").GetBoolean() == expected && status == expected,
                $"test {id}: expected flaky={expected}; alerts {alerts}, stats {stats.Json.GetProperty("flaky").GetBoolean()}, status page {status}");
        }
    }

    [Fact]
    public async Task A_new_artifact_version_starts_the_tests_flaky_score_afresh_everywhere()
    {
        var id = await h.CreateTestAsync("agree-versioned", "P2", threshold: 100);
        await h.RecordManyAsync(id, F, P, F, P, F, P);
        await AssertFlakyEverywhereAsync(id, true, "v1 flapping");

        var v2 = await h.Api.UploadVersionAsync(id.ToString(), "#!/bin/sh\n# v2\nexit 0\n"u8.ToArray());
        Assert.True(v2.Status == 201, v2.ToString());
        await AssertFlakyEverywhereAsync(id, false, "v2 uploaded, no run yet");
        await h.RecordManyAsync(id, P);
        await AssertFlakyEverywhereAsync(id, false, "v2's one pass, v1's flips not counted");

        await h.RecordManyAsync(id, F, P, F);
        await AssertFlakyEverywhereAsync(id, true, "v2 flapping on its own");
        Assert.Equal(3, (await h.AlertsAsync(id)).GetProperty("flips").GetInt32());
    }

    private async Task AssertFlakyEverywhereAsync(Guid id, bool expected, string when)
    {
        var alerts = (await h.AlertsAsync(id)).GetProperty("flaky").GetBoolean();
        var stats = await h.Api.StatsAsync(id.ToString());
        Assert.True(stats.Status == 200, stats.ToString());
        var status = (await StatusFlowsAsync())[id].GetProperty("flaky").GetBoolean();
        Assert.True(
            alerts == expected && stats.Json.GetProperty("flaky").GetBoolean() == expected && status == expected,
            $"{when}: expected flaky={expected}; alerts {alerts}, stats {stats.Json.GetProperty("flaky").GetBoolean()}, status page {status}");
    }

    [Fact]
    public void The_removed_status_page_setting_refuses_the_start_and_names_its_replacement()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [StatusOptions.RemovedFlakyFlips] = "4" }).Build();
        using var services = new ServiceCollection().AddLogging().AddByotShared(configuration).BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StatusOptions>>().Value);
        Assert.Contains("Byot:Alerts:Flaky:MinFlips", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Byot:Status:FlakyFlips was removed", refused.Message, StringComparison.Ordinal);
    }

    private async Task<Dictionary<Guid, JsonElement>> StatusFlowsAsync()
    {
        var response = await h.Client.InvokeAsync("GET", "/status.json", r => h.Client.Function<StatusFunctions>().Json(r, CancellationToken.None));
        Assert.True(response.Status == 200, response.ToString());
        return response.Json.Clone().GetProperty("flows").EnumerateArray().ToDictionary(f => f.GetProperty("id").GetGuid());
    }
}
