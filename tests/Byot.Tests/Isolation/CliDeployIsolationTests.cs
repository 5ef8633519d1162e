using System.Text.Json;
using Byot.Cli;
using Byot.Tests.Cli;
using Xunit;

namespace Byot.Tests.Isolation;

/// <summary><c>isolation</c> in byot.yaml: created with the test, changed in place by a PATCH, and a value that is
/// neither <c>gvisor</c> nor <c>default</c> stopped before anything is sent.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliDeployIsolationTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private CliServer server = null!;
    private CliDriver cli = null!;

    public async Task InitializeAsync()
    {
        server = await CliServer.StartAsync(environment);
        cli = new CliDriver(server.Url, CliServer.Key);
        cli.Write("walled.sh", "echo walled\n");
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        cli.Dispose();
    }

    [Fact]
    public async Task Isolation_is_created_updated_and_validated_from_byot_yaml()
    {
        cli.Write("byot.yaml", Yaml("gvisor"));
        var create = await cli.RunAsync("deploy");
        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.Equal("gvisor", (await ShowAsync()).GetProperty("isolation").GetString());

        cli.Write("byot.yaml", Yaml("default"));
        var update = await cli.RunAsync("deploy");
        Assert.True(update.ExitCode == 0, update.ToString());
        Assert.Contains("isolation gvisor -> default", update.Out, StringComparison.Ordinal);
        Assert.Equal("default", (await ShowAsync()).GetProperty("isolation").GetString());

        cli.Write("byot.yaml", Yaml("none"));
        var refused = await cli.RunAsync("deploy");
        Assert.True(refused.ExitCode == ExitCodes.BadInput, refused.ToString());
        Assert.Contains("isolation 'none' must be gvisor or default", refused.Error, StringComparison.Ordinal);
        Assert.Equal("default", (await ShowAsync()).GetProperty("isolation").GetString());
    }

    private static string Yaml(string isolation) => $"""
        tests:
          - name: walled
            path: walled.sh
            runtime: shell
            isolation: {isolation}
        """;

    private async Task<JsonElement> ShowAsync()
    {
        var show = await cli.RunAsync("show", "walled", "--json");
        Assert.True(show.ExitCode == 0, show.ToString());
        return JsonDocument.Parse(show.Out).RootElement.GetProperty("test").Clone();
    }
}
