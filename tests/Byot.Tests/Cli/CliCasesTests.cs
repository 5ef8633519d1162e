using System.Net.Http.Json;
using System.Text.Json;
using Byot.Cli;
using Byot.Shared.Cases;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Cli;

/// <summary><c>byot cases</c> and the failed cases at the end of <c>byot run --follow</c>, over HTTP against the real
/// function classes, with a real runner running a TAP suite in Docker.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliCasesTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private CliServer server = null!;
    private RunnerHost runner = null!;
    private CliDriver cli = null!;

    public async Task InitializeAsync()
    {
        server = await CliServer.StartAsync(environment);
        runner = await RunnerHost.StartAsync(environment);
        cli = new CliDriver(server.Url, CliServer.Key);
    }

    public async Task DisposeAsync()
    {
        await runner.DisposeAsync();
        await server.DisposeAsync();
        cli.Dispose();
    }

    [Fact]
    public async Task Run_follow_ends_with_the_failed_cases_and_cases_lists_them_with_state_and_quarantine()
    {
        var script = cli.Write("tap.sh", """
            echo 'TAP version 13'
            echo 'ok 1 - pays with saved card'
            echo 'not ok 2 - search filters'
            echo '  ---'
            echo "  message: 'index is stale'"
            echo '  ...'
            echo 'not ok 3 - coupon applies'
            echo 'ok 4 - cart adds an item'
            echo '1..4'
            exit 1

            """);
        var push = await cli.RunAsync("push", script, "--runtime", "shell", "--name", "cli-cases");
        Assert.True(push.ExitCode == 0, push.ToString());

        var run = await cli.RunAsync("run", "cli-cases", "--follow");
        Assert.True(run.ExitCode == ExitCodes.RunFailed, run.ToString());
        var tail = run.Out[run.Out.IndexOf("finished: failed", StringComparison.Ordinal)..].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["2 failed case(s):", "  ✗ search filters: index is stale", "  ✗ coupon applies"], tail[1..]);

        var cases = await cli.RunAsync("cases", "cli-cases");
        Assert.True(cases.ExitCode == 0, cases.ToString());
        var rows = Rows(cases.Out);
        Assert.Equal(["CASE", "LAST", "PASS RATE", "FLAKY", "QUARANTINED"], rows[0]);
        Assert.Equal(["cart adds an item", "passed", "100% of 1", "healthy", "-"], rows.Single(r => r[0] == "cart adds an item"));
        Assert.Equal(["search filters", "failed", "0% of 1", "broken", "-"], rows.Single(r => r[0] == "search filters"));
        Assert.Equal(5, rows.Count);

        // Quarantined over the API; the table shows the reason.
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        http.DefaultRequestHeaders.Add("x-functions-key", CliServer.Key);
        var testId = JsonDocument.Parse((await cli.RunAsync("ls", "--json")).Out).RootElement.EnumerateArray()
            .Single(t => t.GetProperty("test").GetProperty("name").GetString() == "cli-cases").GetProperty("test").GetProperty("id").GetString();
        var put = await http.PutAsJsonAsync($"/tests/{testId}/cases/{CaseIds.For("search filters")}/quarantine", new { reason = "index rebuild" });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        var failed = await cli.RunAsync("cases", "cli-cases", "--failed");
        Assert.True(failed.ExitCode == 0, failed.ToString());
        var failedRows = Rows(failed.Out);
        Assert.Equal(["coupon applies", "search filters"], failedRows.Skip(1).Select(r => r[0]).Order(StringComparer.Ordinal));
        Assert.Equal("index rebuild", failedRows.Single(r => r[0] == "search filters")[4]);

        var json = await cli.RunAsync("cases", "cli-cases", "--json", "--failed");
        var listed = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal(2, listed.GetArrayLength());
        Assert.Contains(listed.EnumerateArray(), c => c.GetProperty("quarantined").ValueKind == JsonValueKind.Object
            && c.GetProperty("quarantined").GetProperty("reason").GetString() == "index rebuild");
    }

    /// <summary>The plain table's rows, split on the runs of two or more spaces that align its columns.</summary>
    private static List<string[]> Rows(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.RegularExpressions.Regex.Split(l.TrimEnd(), " {2,}"))];
}
