using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Cli;

/// <summary><c>byot show</c> prints the test's uptime, durations and run counts, not just the stats' test id.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliShowStatsTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
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
    public async Task Show_prints_uptime_durations_and_counts()
    {
        var ok = cli.Write("ok.sh", "echo ok\n");
        Assert.Equal(0, (await cli.RunAsync("push", ok, "--runtime", "shell", "--name", "show-stats")).ExitCode);
        var never = await cli.RunAsync("show", "show-stats");
        Assert.True(never.ExitCode == 0, never.ToString());
        Assert.Contains("uptime: 24h n/a · 7d n/a · 30d n/a", Squeeze(never.Out), StringComparison.Ordinal);
        Assert.Contains("runs (7d): none", Squeeze(never.Out), StringComparison.Ordinal);

        var run = await cli.RunAsync("run", "show-stats", "--follow");
        Assert.True(run.ExitCode == 0, run.ToString());
        var show = await cli.RunAsync("show", "show-stats");

        var text = Squeeze(show.Out);
        Assert.Contains("uptime: 24h 100% · 7d 100% · 30d 100%", text, StringComparison.Ordinal);
        Assert.Contains("runs (7d): passed 1", text, StringComparison.Ordinal);
        Assert.Contains("duration (7d): p50 ", text, StringComparison.Ordinal);
        Assert.Contains("flips (7d): 0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("stats.testId", text, StringComparison.Ordinal);
    }

    /// <summary>Pairs are aligned with padding; one space after the colon is what the assertions read.</summary>
    private static string Squeeze(string output) => System.Text.RegularExpressions.Regex.Replace(output, ": +", ": ");
}
