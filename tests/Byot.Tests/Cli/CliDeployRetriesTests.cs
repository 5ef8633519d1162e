using System.Text.Json;
using Byot.Cli;
using Xunit;

namespace Byot.Tests.Cli;

/// <summary><c>retries</c>, <c>retryDelay</c> and <c>retryBackoff</c> in byot.yaml: created with the test, planned and
/// changed in place by a PATCH, shown by <c>byot show</c>, and a value out of range stopped before anything is sent.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliDeployRetriesTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private CliServer server = null!;
    private CliDriver cli = null!;

    public async Task InitializeAsync()
    {
        server = await CliServer.StartAsync(environment);
        cli = new CliDriver(server.Url, CliServer.Key);
        cli.Write("flaky.sh", "echo flaky\n");
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        cli.Dispose();
    }

    [Fact]
    public async Task The_retry_policy_is_created_planned_updated_and_validated_from_byot_yaml()
    {
        cli.Write("byot.yaml", Yaml("retries: 2", "retryDelay: 10", "retryBackoff: linear"));
        var create = await cli.RunAsync("deploy");
        Assert.True(create.ExitCode == 0, create.ToString());
        var test = await ShowAsync();
        Assert.Equal((2, 10, "linear"), (test.GetProperty("retries").GetInt32(), test.GetProperty("retryDelaySeconds").GetInt32(), test.GetProperty("retryBackoff").GetString()));
        var shown = await cli.RunAsync("show", "flaky");
        Assert.Contains("2 (delay 10s, linear)", shown.Out, StringComparison.Ordinal);

        cli.Write("byot.yaml", Yaml("retries: 3", "retryDelay: 10", "retryBackoff: exponential"));
        var plan = await cli.RunAsync("deploy", "--dry-run");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("retries 2 -> 3", plan.Out, StringComparison.Ordinal);
        Assert.Contains("retryBackoff linear -> exponential", plan.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("retryDelaySeconds", plan.Out, StringComparison.Ordinal);
        var update = await cli.RunAsync("deploy");
        Assert.True(update.ExitCode == 0, update.ToString());
        test = await ShowAsync();
        Assert.Equal((3, "exponential"), (test.GetProperty("retries").GetInt32(), test.GetProperty("retryBackoff").GetString()));

        foreach (var (line, message) in new[]
                 {
                     ("retries: 6", "retries 6 must be from 0 to 5"),
                     ("retryDelay: 301", "retryDelay 301 must be from 0 to 300 seconds"),
                     ("retryBackoff: random", "retryBackoff 'random' must be fixed, linear or exponential"),
                 })
        {
            cli.Write("byot.yaml", Yaml(line));
            var refused = await cli.RunAsync("deploy");
            Assert.True(refused.ExitCode == ExitCodes.BadInput, refused.ToString());
            Assert.Contains(message, refused.Error, StringComparison.Ordinal);
        }

        Assert.Equal(3, (await ShowAsync()).GetProperty("retries").GetInt32());
    }

    private static string Yaml(params string[] lines) => $"""
        tests:
          - name: flaky
            path: flaky.sh
            runtime: shell
        {string.Join("\n", lines.Select(l => "    " + l))}
        """;

    private async Task<JsonElement> ShowAsync()
    {
        var show = await cli.RunAsync("show", "flaky", "--json");
        Assert.True(show.ExitCode == 0, show.ToString());
        return JsonDocument.Parse(show.Out).RootElement.GetProperty("test").Clone();
    }
}
