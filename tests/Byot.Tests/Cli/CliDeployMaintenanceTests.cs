using Byot.Cli;
using Xunit;

namespace Byot.Tests.Cli;

/// <summary><c>byot deploy</c> with a <c>maintenance:</c> section: plan, apply (a window covering a test the same
/// file creates), re-apply (unchanged), change, prune, and windows refused with their place in the file before
/// anything is applied. Its own environment, because --prune deletes what the file does not name.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliDeployMaintenanceTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private const string Yaml = """
        tests:
          - name: maint-api
            path: api.sh
            runtime: shell
            tags: [service:api]
        maintenance:
          - name: Database upgrade
            startsAt: 2030-12-05T22:00:00Z
            endsAt: 2030-12-06T01:00:00Z
            tests: [maint-api]
          - name: Sunday deploys
            mode: pause
            days: [Sunday]
            start: "02:00"
            durationMinutes: 120
            timezone: Europe/Berlin
            tags: [service:api]
        """;

    private CliServer server = null!;
    private CliDriver cli = null!;

    public async Task InitializeAsync()
    {
        server = await CliServer.StartAsync(environment);
        cli = new CliDriver(server.Url, CliServer.Key);
        cli.Write("api.sh", "echo api ok\n");
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        cli.Dispose();
    }

    [Fact]
    public async Task Plan_apply_reapply_change_and_prune_windows()
    {
        cli.Write("byot.yaml", Yaml);
        var plan = await cli.RunAsync("deploy", "--dry-run");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("+ create maintenance 'Database upgrade'", plan.Out, StringComparison.Ordinal);
        Assert.Contains("Maintenance windows: 2 to create, 0 to update, 0 unchanged, 0 to delete.", plan.Out, StringComparison.Ordinal);
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM maintenance_windows"));

        var apply = await cli.RunAsync("deploy");
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal(1, await environment.ScalarAsync("""
            SELECT count(*) FROM maintenance_windows w JOIN tests t ON t.id = ANY(w.test_ids)
            WHERE w.name = 'Database upgrade' AND t.name = 'maint-api' AND w.mode = 'mute'
            """));
        Assert.Equal(1, await environment.ScalarAsync("""
            SELECT count(*) FROM maintenance_windows
            WHERE name = 'Sunday deploys' AND mode = 'pause' AND days = ARRAY['sunday'] AND time_zone = 'Europe/Berlin' AND tags = ARRAY['service:api']
            """));

        var again = await cli.RunAsync("deploy");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Maintenance windows: 0 to create, 0 to update, 2 unchanged, 0 to delete.", again.Out, StringComparison.Ordinal);
        Assert.Equal(2, await environment.ScalarAsync("SELECT count(*) FROM maintenance_windows"));

        cli.Write("byot.yaml", Yaml.Replace("endsAt: 2030-12-06T01:00:00Z", "endsAt: 2030-12-06T03:00:00+01:00", StringComparison.Ordinal));
        var changed = await cli.RunAsync("deploy");
        Assert.True(changed.ExitCode == 0, changed.ToString());
        Assert.Contains("~ update maintenance 'Database upgrade'", changed.Out, StringComparison.Ordinal);
        Assert.Contains("endsAt ", changed.Out, StringComparison.Ordinal);
        Assert.Contains("Maintenance windows: 0 to create, 1 to update, 1 unchanged, 0 to delete.", changed.Out, StringComparison.Ordinal);
        Assert.Equal(1, await environment.ScalarAsync("SELECT count(*) FROM maintenance_windows WHERE ends_at = '2030-12-06T02:00:00Z'"));

        var onlyOne = Yaml[..Yaml.IndexOf("  - name: Sunday deploys", StringComparison.Ordinal)].Replace("endsAt: 2030-12-06T01:00:00Z", "endsAt: 2030-12-06T03:00:00+01:00", StringComparison.Ordinal);
        cli.Write("byot.yaml", onlyOne);
        var kept = await cli.RunAsync("deploy", "--dry-run");
        Assert.Contains("? kept maintenance 'Sunday deploys'", kept.Out, StringComparison.Ordinal);
        var pruned = await cli.RunAsync("deploy", "--prune");
        Assert.True(pruned.ExitCode == 0, pruned.ToString());
        Assert.Contains("- delete maintenance 'Sunday deploys'", pruned.Out, StringComparison.Ordinal);
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM maintenance_windows WHERE name = 'Sunday deploys'"));
        Assert.Equal(1, await environment.ScalarAsync("SELECT count(*) FROM maintenance_windows WHERE name = 'Database upgrade'"));
    }

    [Theory]
    [InlineData("startsAt: 2030-01-01T00:00:00Z\n    cron: \"0 2 * * *\"\n    durationMinutes: 60\n    tags: [x]", "either one-off", "bad.yaml:6:5: maintenance[0] (Bad)")]
    [InlineData("days: [monday]\n    start: \"02:00\"\n    tags: [x]", "'durationMinutes' is required", "maintenance[0] (Bad)")]
    [InlineData("startsAt: tomorrow\n    endsAt: 2030-01-01T01:00:00Z\n    tags: [x]", "'startsAt' 'tomorrow' is not an RFC 3339 time", "maintenance[0]")]
    [InlineData("startsAt: 2030-01-01T00:00:00Z\n    endsAt: 2030-01-01T01:00:00Z", "say which tests", "maintenance[0]")]
    [InlineData("mode: silence\n    startsAt: 2030-01-01T00:00:00Z\n    endsAt: 2030-01-01T01:00:00Z\n    tags: [x]", "mode 'silence' must be mute", "maintenance[0]")]
    [InlineData("cron: \"0 2 * * *\"\n    durationMinutes: 60\n    timezone: Mars/Olympus\n    tags: [x]", "timezone 'Mars/Olympus' is not an IANA time zone", "maintenance[0]")]
    [InlineData("startsAt: 2030-01-01T00:00:00Z\n    endsAt: 2030-01-01T01:00:00Z\n    tests: [nobody-knows-me]", "'nobody-knows-me', which is neither in byot.yaml nor on the server", "Bad")]
    [InlineData("startsAt: 2030-01-01T00:00:00Z\n    endsAt: 2030-01-01T01:00:00Z\n    tags: [x]\n    colour: red", "colour", "bad.yaml:")]
    public async Task A_bad_window_stops_the_deploy_before_anything_is_applied(string fields, string message, string where)
    {
        var before = await environment.ScalarAsync("SELECT count(*) FROM maintenance_windows");
        var tests = await environment.ScalarAsync("SELECT count(*) FROM tests WHERE deleted_at IS NULL");
        cli.Write("bad.yaml", $"tests:\n  - name: maint-bad-test\n    path: api.sh\n    runtime: shell\nmaintenance:\n  - name: Bad\n    {fields}\n");

        var result = await cli.RunAsync("deploy", "-f", "bad.yaml");

        Assert.True(result.ExitCode == ExitCodes.BadInput, result.ToString());
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Contains(where, result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await environment.ScalarAsync("SELECT count(*) FROM maintenance_windows"));
        Assert.Equal(tests, await environment.ScalarAsync("SELECT count(*) FROM tests WHERE deleted_at IS NULL"));
    }
}
