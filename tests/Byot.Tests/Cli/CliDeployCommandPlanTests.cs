using Xunit;

namespace Byot.Tests.Cli;

/// <summary><c>byot deploy</c>'s plan shows commands as JSON arrays, so one argument with a space
/// (<c>["node test.js"]</c>) reads differently from two (<c>["node","test.js"]</c>).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliDeployCommandPlanTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private CliServer server = null!;
    private CliDriver cli = null!;

    public async Task InitializeAsync()
    {
        server = await CliServer.StartAsync(environment);
        cli = new CliDriver(server.Url, CliServer.Key);
        cli.Write("test.js", "console.log('ok')\n");
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        cli.Dispose();
    }

    [Fact]
    public async Task Plan_tells_one_argument_with_a_space_from_two_arguments()
    {
        cli.Write("byot.yaml", Yaml("[node, test.js]"));
        Assert.Equal(0, (await cli.RunAsync("deploy")).ExitCode);

        cli.Write("byot.yaml", Yaml("[\"node test.js\"]"));
        var plan = await cli.RunAsync("deploy", "--dry-run");

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("""command ["node","test.js"] -> ["node test.js"]""", plan.Out, StringComparison.Ordinal);
    }

    private static string Yaml(string command) => $"""
        tests:
          - name: plan-command
            path: test.js
            runtime: node
            command: {command}
        """;
}
