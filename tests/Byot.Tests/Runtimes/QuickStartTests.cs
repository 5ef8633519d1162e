using Byot.Tests.Cli;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Runtimes;

/// <summary>The README's quick start as a user types it, on the local images with the documented defaults: a
/// directory with a package.json "test" script pushed with <c>--runtime node</c>, then run and followed.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class QuickStartTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private CliServer server = null!;
    private RunnerHost runner = null!;
    private CliDriver cli = null!;

    public async Task InitializeAsync()
    {
        server = await CliServer.StartAsync(environment);
        runner = await RunnerHost.StartAsync(environment, DocumentedRuntimes.LocalRunnerSettings());
        cli = new CliDriver(server.Url, CliServer.Key);
    }

    public async Task DisposeAsync()
    {
        await runner.DisposeAsync();
        await server.DisposeAsync();
        cli.Dispose();
    }

    [Fact]
    public async Task Push_a_node_directory_then_run_it_with_follow_passes()
    {
        cli.Write("checkout/package.json", """{"name":"checkout","private":true,"scripts":{"test":"node test/checkout.test.js"}}""");
        cli.Write("checkout/test/checkout.test.js", "const assert = require('node:assert');\nassert.strictEqual(2 + 2, 4);\nconsole.log('checkout flow ok');\n");

        var push = await cli.RunAsync("push", Path.Combine(cli.Directory, "checkout"), "--runtime", "node", "--severity", "P1", "--schedule", "5m", "--name", "checkout");
        Assert.True(push.ExitCode == 0, push.ToString());

        var run = await cli.RunAsync("run", "checkout", "--follow");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("[stdout] checkout flow ok", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"run [0-9a-f-]{36} finished: passed \(exit 0\)\n$", run.Out);
    }
}
