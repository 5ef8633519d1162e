using System.Text.RegularExpressions;
using Byot.Functions.Http;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.CaseRuns;

/// <summary>Retries inside a run with real containers (docs/cases.md): a script that fails its first try and passes
/// its second (it tells them apart by <c>BYOT_TRY</c>, as nothing else survives between fresh containers) is one
/// passed, flaky run of two tries, with both tries' logs and cases, and no incident.</summary>
public sealed partial class RealRetryTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private RunnerKit kit = null!;

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment);

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task A_script_failing_its_first_try_passes_on_the_retry_in_a_second_container_and_is_flaky_not_an_incident()
    {
        var script = RunnerKit.Shell("""
            echo "try $BYOT_TRY of $BYOT_TRIES in container $(hostname)" >&2
            [ -e /artifacts/seen ] && echo "left over from an earlier try" >&2
            echo seen > /artifacts/seen
            echo "TAP version 13"
            echo "1..2"
            echo "ok 1 - loads"
            if [ "$BYOT_TRY" = 1 ]; then echo "not ok 2 - pays"; exit 1; fi
            echo "ok 2 - pays"
            """);
        var testId = await kit.UploadAsync(script, fields: [("retries", "2"), ("retry_delay", "1"), ("failure_threshold", "1")]);

        var runId = await kit.Api.RunNowOkAsync(testId);
        var run = await kit.Api.WaitForFinalAsync(runId);

        Assert.Equal("passed", run.GetProperty("status").GetString());
        Assert.True(run.GetProperty("flaky").GetBoolean());
        Assert.Equal(2, run.GetProperty("tries").GetInt32());
        Assert.Equal(2, run.GetProperty("cases").GetProperty("passed").GetInt32());

        var log = await kit.LogAsync(runId);
        var first = log.IndexOf("── attempt 1 of 3 ──", StringComparison.Ordinal);
        var second = log.IndexOf("── attempt 2 of 3 ──", StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first, log);
        Assert.Contains("not ok 2 - pays", log[first..second], StringComparison.Ordinal);
        Assert.DoesNotContain("── attempt 3 of 3 ──", log, StringComparison.Ordinal);
        Assert.DoesNotContain("left over", log, StringComparison.Ordinal);
        var containers = ContainerLine().Matches(log).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        Assert.Equal(["1", "2"], containers.Select(c => c.Item1));
        Assert.NotEqual(containers[0].Item2, containers[1].Item2);

        var cases = await kit.Client.AllRunCasesAsync(runId);
        Assert.Equal(
            [("loads", "passed", 1), ("pays", "failed", 1), ("loads", "passed", 2), ("pays", "passed", 2)],
            cases.Select(c => (c.Key, c.Status, c.Attempt)));

        var id = testId.ToString();
        var alerts = await kit.Client.InvokeAsync("GET", $"/tests/{id}/alerts", r => kit.Client.Function<AlertsFunctions>().GetTestAlerts(r, id, CancellationToken.None));
        Assert.Equal(0, alerts.Json.GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal(0, alerts.Json.GetProperty("incidents").GetArrayLength());
        Assert.True(alerts.Json.GetProperty("flaky").GetBoolean());
        await RunnerKit.AssertCleanedUpAsync(runId);
    }

    [GeneratedRegex(@"try (\d) of 3 in container (\S+)")]
    private static partial Regex ContainerLine();
}
