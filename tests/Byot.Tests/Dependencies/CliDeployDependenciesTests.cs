using System.Text.Json;
using Byot.Cli;
using Byot.Tests.Cli;
using Xunit;

namespace Byot.Tests.Dependencies;

/// <summary><c>dependsOn</c> in byot.yaml: names (of tests the same deploy creates), tag selectors; set after every
/// test exists, unchanged on a second deploy, an unknown name refused before the first call. Its own environment.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliDeployDependenciesTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private const string Yaml = """
        tests:
          - name: dep-checkout
            path: t.sh
            runtime: shell
            dependsOn: [dep-auth, "tag:service:db"]
          - name: dep-auth
            path: t.sh
            runtime: shell
            tags: [service:auth]
        """;

    private CliServer server = null!;
    private CliDriver cli = null!;

    public async Task InitializeAsync()
    {
        server = await CliServer.StartAsync(environment);
        cli = new CliDriver(server.Url, CliServer.Key);
        cli.Write("t.sh", "echo ok\n");
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        cli.Dispose();
    }

    [Fact]
    public async Task Names_in_dependsOn_resolve_to_the_ids_of_tests_created_by_the_same_deploy_and_a_second_deploy_changes_nothing()
    {
        cli.Write("byot.yaml", Yaml);
        var apply = await cli.RunAsync("deploy");
        Assert.True(apply.ExitCode == 0, apply.ToString());

        var auth = await ShowAsync("dep-auth");
        var checkout = await ShowAsync("dep-checkout");
        Assert.Equal([auth.GetProperty("id").GetString(), "tag:service:db"], checkout.GetProperty("dependsOn").EnumerateArray().Select(d => d.GetString()));
        Assert.Empty(auth.GetProperty("dependsOn").EnumerateArray());

        var again = await cli.RunAsync("deploy");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("0 to create, 0 to update, 2 unchanged", again.Out, StringComparison.Ordinal);

        cli.Write("byot.yaml", Yaml.Replace("dependsOn: [dep-auth, \"tag:service:db\"]", "dependsOn: []", StringComparison.Ordinal));
        var cleared = await cli.RunAsync("deploy");
        Assert.True(cleared.ExitCode == 0, cleared.ToString());
        Assert.Contains("dependsOn [\"dep-auth\",\"tag:service:db\"] -> []", cleared.Out, StringComparison.Ordinal);
        Assert.Empty((await ShowAsync("dep-checkout")).GetProperty("dependsOn").EnumerateArray());
    }

    [Fact]
    public async Task A_name_that_is_no_test_stops_the_deploy_before_anything_changes()
    {
        var before = await environment.ScalarAsync("SELECT count(*) FROM tests");
        cli.Write("unknown.yaml", "tests:\n  - name: dep-lonely\n    path: t.sh\n    runtime: shell\n    dependsOn: [nobody-by-this-name]\n");

        var refused = await cli.RunAsync("deploy", "--file", "unknown.yaml");

        Assert.True(refused.ExitCode == ExitCodes.BadInput, refused.ToString());
        Assert.Contains("nobody-by-this-name", refused.Error, StringComparison.Ordinal);
        Assert.Equal(before, await environment.ScalarAsync("SELECT count(*) FROM tests"));
    }

    private async Task<JsonElement> ShowAsync(string name)
    {
        var shown = await cli.RunAsync("show", name, "--json");
        Assert.True(shown.ExitCode == 0, shown.ToString());
        return JsonDocument.Parse(shown.Out).RootElement.GetProperty("test").Clone();
    }
}
