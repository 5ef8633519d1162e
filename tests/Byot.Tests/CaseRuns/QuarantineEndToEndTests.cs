using System.Text.Json;
using Byot.Functions.Http;
using Byot.Shared.Cases;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.CaseRuns;

/// <summary>Quarantine on the whole path: a TAP suite run by the real runner in a real container fails in one case;
/// once that case is quarantined, its further failing runs neither open an incident nor keep the streak failing,
/// while a run failing in another case still counts.</summary>
public sealed class QuarantineEndToEndTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private RunnerKit kit = null!;

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment);

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task Runs_failing_only_in_a_quarantined_case_do_not_count_towards_an_incident()
    {
        // The suite fails "search filters" every run; the artifact is the same throughout.
        var testId = await kit.UploadAsync(RunnerKit.Shell("""
            echo 'TAP version 13'
            echo 'ok 1 - pays with saved card'
            echo 'not ok 2 - search filters'
            echo '1..2'
            exit 1
            """), fields: [("failure_threshold", "2")]);

        Assert.Equal("failed", (await RunAsync(testId)).GetProperty("status").GetString());
        Assert.Equal(1, (await AlertsAsync(testId)).GetProperty("consecutiveFailures").GetInt32());

        var put = await kit.Client.QuarantineAsync(testId.ToString(), CaseIds.For("search filters"), """{"reason": "search index rebuild"}""");
        Assert.True(put.Status == 200, put.ToString());

        foreach (var _ in Enumerable.Range(0, 2))
        {
            var run = await RunAsync(testId);
            Assert.Equal("failed", run.GetProperty("status").GetString());
            Assert.Equal(1, run.GetProperty("cases").GetProperty("failed").GetInt32());
        }

        var alerts = await AlertsAsync(testId);
        Assert.Equal(JsonValueKind.Null, alerts.GetProperty("openIncident").ValueKind);
        Assert.Equal((0, 2), (alerts.GetProperty("consecutiveFailures").GetInt32(), alerts.GetProperty("consecutivePasses").GetInt32()));

        // Lifted, the same failure counts again: two in a row open the incident.
        Assert.Equal(204, (await kit.Client.UnquarantineAsync(testId.ToString(), CaseIds.For("search filters"))).Status);
        await RunAsync(testId);
        await RunAsync(testId);
        Assert.NotEqual(JsonValueKind.Null, (await AlertsAsync(testId)).GetProperty("openIncident").ValueKind);
    }

    private async Task<JsonElement> RunAsync(Guid testId) => await kit.Api.WaitForFinalAsync(await kit.QueueRunAsync(testId));

    private async Task<JsonElement> AlertsAsync(Guid testId)
    {
        var response = await kit.Client.InvokeAsync("GET", $"/tests/{testId}/alerts",
            r => kit.Client.Function<AlertsFunctions>().GetTestAlerts(r, testId.ToString(), CancellationToken.None));
        Assert.True(response.Status == 200, response.ToString());
        return response.Json.Clone();
    }
}
