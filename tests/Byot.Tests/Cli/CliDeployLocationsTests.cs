using System.Text.Json;
using Byot.Cli;
using Xunit;

namespace Byot.Tests.Cli;

/// <summary><c>locations</c> and <c>failingLocations</c> in byot.yaml: created with them, compared (order is not
/// meaning), changed in place, and bad values refused before anything changes. Its own environment (its tests are
/// counted).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliDeployLocationsTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private const string Yaml = """
        tests:
          - name: regional
            path: probe.sh
            runtime: shell
            locations: [default, eu-west]
            failingLocations: 2
        """;

    private CliServer server = null!;
    private CliDriver cli = null!;

    public async Task InitializeAsync()
    {
        server = await CliServer.StartAsync(environment, new Dictionary<string, string?>
        {
            ["Byot:Locations:Known:0"] = "eu-west",
            ["Byot:Locations:Known:1"] = "us-east",
        });
        cli = new CliDriver(server.Url, CliServer.Key);
        cli.Write("probe.sh", "echo probe ok\n");
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        cli.Dispose();
    }

    [Fact]
    public async Task Locations_are_created_compared_and_changed_in_place()
    {
        cli.Write("byot.yaml", Yaml);
        var apply = await cli.RunAsync("deploy");
        Assert.True(apply.ExitCode == 0, apply.ToString());
        var created = await ShowAsync("regional");
        Assert.Equal(["default", "eu-west"], Locations(created));
        Assert.Equal(2, created.GetProperty("failingLocations").GetInt32());

        // The same places in another order are no change.
        cli.Write("byot.yaml", Yaml.Replace("[default, eu-west]", "[eu-west, default]", StringComparison.Ordinal));
        var again = await cli.RunAsync("deploy");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Plan: 0 to create, 0 to update, 1 unchanged, 0 to delete.", again.Out, StringComparison.Ordinal);

        cli.Write("byot.yaml", Yaml.Replace("[default, eu-west]", "[eu-west, us-east]", StringComparison.Ordinal).Replace("failingLocations: 2", "failingLocations: 1", StringComparison.Ordinal));
        var plan = await cli.RunAsync("deploy", "--dry-run");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("""locations ["default","eu-west"] -> ["eu-west","us-east"]""", plan.Out, StringComparison.Ordinal);
        Assert.Contains("failingLocations 2 -> 1", plan.Out, StringComparison.Ordinal);
        var change = await cli.RunAsync("deploy");
        Assert.True(change.ExitCode == 0, change.ToString());
        var changed = await ShowAsync("regional");
        Assert.Equal(["eu-west", "us-east"], Locations(changed));
        Assert.Equal(1, changed.GetProperty("failingLocations").GetInt32());
        Assert.Equal(created.GetProperty("id").GetString(), changed.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("locations: [default, EU_West]", "EU_West")]
    [InlineData("locations: []", "1 to 16 locations")]
    [InlineData("locations: [default, default]", "twice")]
    [InlineData("locations: [default, eu-west]\n    failingLocations: 3", "failingLocations 3 must be 1 to 2")]
    [InlineData("failingLocations: 0", "failingLocations 0 must be 1 to 16")]
    public async Task Bad_locations_stop_the_deploy_before_anything_changes(string fields, string named)
    {
        cli.Write("bad.yaml", $"tests:\n  - name: bad-locations\n    path: probe.sh\n    runtime: shell\n    {fields}\n");
        var result = await cli.RunAsync("deploy", "--file", "bad.yaml");

        Assert.True(result.ExitCode == ExitCodes.BadInput, result.ToString());
        Assert.Contains(named, result.Error, StringComparison.Ordinal);
        Assert.Contains("bad.yaml:2:5: tests[0] (bad-locations)", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM tests WHERE name = 'bad-locations'"));
    }

    [Fact]
    public async Task A_location_the_server_does_not_know_is_refused_by_the_server_and_nothing_is_created()
    {
        cli.Write("unknown.yaml", "tests:\n  - name: unknown-location\n    path: probe.sh\n    runtime: shell\n    locations: [mars]\n");
        var result = await cli.RunAsync("deploy", "--file", "unknown.yaml");

        Assert.True(result.ExitCode == ExitCodes.BadInput, result.ToString());
        Assert.Contains("mars", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM tests WHERE name = 'unknown-location'"));
    }

    private static List<string?> Locations(JsonElement test) => [.. test.GetProperty("locations").EnumerateArray().Select(l => l.GetString())];

    private async Task<JsonElement> ShowAsync(string name)
    {
        var show = await cli.RunAsync("show", name, "--json");
        Assert.True(show.ExitCode == 0, show.ToString());
        return JsonDocument.Parse(show.Out).RootElement.GetProperty("test").Clone();
    }
}
