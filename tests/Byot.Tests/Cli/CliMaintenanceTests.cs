using System.Text.Json;
using Byot.Cli;
using Xunit;

namespace Byot.Tests.Cli;

/// <summary><c>byot maintenance</c> against the real maintenance functions over HTTP: create (one-off and weekly, by
/// test name and tag), list, update (turning one kind of window into the other), delete, and the API's refusals
/// surfaced with the field to fix.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliMaintenanceTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private CliServer server = null!;
    private CliDriver cli = null!;

    public async Task InitializeAsync()
    {
        server = await CliServer.StartAsync(environment);
        cli = new CliDriver(server.Url, CliServer.Key);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        cli.Dispose();
    }

    [Fact]
    public async Task Create_list_update_and_delete_windows()
    {
        var script = cli.Write("checkout.sh", "echo ok\n");
        var push = await cli.RunAsync("push", script, "--runtime", "shell", "--name", "maint-checkout");
        Assert.True(push.ExitCode == 0, push.ToString());

        var once = await cli.RunAsync("maintenance", "create", "Database upgrade", "--start", "2030-12-05T22:00:00Z", "--end", "2030-12-06T01:00:00Z",
            "--test", "maint-checkout", "--json");
        Assert.True(once.ExitCode == 0, once.ToString());
        var created = JsonDocument.Parse(once.Out).RootElement.GetProperty("window");
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("mute", created.GetProperty("mode").GetString());
        Assert.Equal("once", created.GetProperty("recurrence").GetString());
        Assert.Single(created.GetProperty("tests").EnumerateArray());

        var weekly = await cli.RunAsync("maintenance", "create", "Sunday deploys", "--mode", "pause", "--days", "Sunday", "--at", "02:00",
            "--duration", "2h", "--timezone", "Europe/Berlin", "--tag", "team:payments");
        Assert.True(weekly.ExitCode == 0, weekly.ToString());
        Assert.Contains("created: Sunday deploys (pause, sunday at 02:00 for 120 min (Europe/Berlin); next ", weekly.Out, StringComparison.Ordinal);

        var ls = await cli.RunAsync("maintenance", "ls");
        Assert.True(ls.ExitCode == 0, ls.ToString());
        Assert.Contains("Database upgrade", ls.Out, StringComparison.Ordinal);
        Assert.Contains("2030-12-05T22:00:00", ls.Out, StringComparison.Ordinal);
        Assert.Contains("tag team:payments", ls.Out, StringComparison.Ordinal);

        // One-off to cron: the start and end are cleared by the same patch.
        var changed = await cli.RunAsync("maintenance", "update", id, "--cron", "0 3 * * 6", "--duration", "90", "--name", "Weekly upgrade", "--json");
        Assert.True(changed.ExitCode == 0, changed.ToString());
        var updated = JsonDocument.Parse(changed.Out).RootElement.GetProperty("window");
        Assert.Equal("cron", updated.GetProperty("recurrence").GetString());
        Assert.Equal("Weekly upgrade", updated.GetProperty("name").GetString());
        Assert.Equal(90, updated.GetProperty("durationMinutes").GetInt32());
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("startsAt").ValueKind);

        var rm = await cli.RunAsync("maintenance", "rm", id);
        Assert.True(rm.ExitCode == 0, rm.ToString());
        var after = await cli.RunAsync("maintenance", "ls", "--json");
        Assert.DoesNotContain(JsonDocument.Parse(after.Out).RootElement.EnumerateArray(), v => v.GetProperty("window").GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Bad_input_is_refused_with_what_to_fix_and_nothing_is_stored()
    {
        var before = await environment.ScalarAsync("SELECT count(*) FROM maintenance_windows");

        var zone = await cli.RunAsync("maintenance", "create", "Bad zone", "--days", "monday", "--at", "02:00", "--duration", "60",
            "--timezone", "Mars/Olympus", "--tag", "x");
        Assert.True(zone.ExitCode == ExitCodes.BadInput, zone.ToString());
        Assert.Contains("Mars/Olympus", zone.Error, StringComparison.Ordinal);
        Assert.Contains("(field 'timezone')", zone.Error, StringComparison.Ordinal);

        var duration = await cli.RunAsync("maintenance", "create", "Bad length", "--cron", "0 2 * * *", "--duration", "two hours", "--tag", "x");
        Assert.True(duration.ExitCode == ExitCodes.BadInput, duration.ToString());
        Assert.Contains("--duration 'two hours'", duration.Error, StringComparison.Ordinal);

        var uncovered = await cli.RunAsync("maintenance", "create", "Covers nothing", "--start", "2030-01-01T00:00:00Z", "--end", "2030-01-01T01:00:00Z");
        Assert.True(uncovered.ExitCode == ExitCodes.BadInput, uncovered.ToString());
        Assert.Contains("(field 'tests')", uncovered.Error, StringComparison.Ordinal);

        var unknownTest = await cli.RunAsync("maintenance", "create", "Unknown test", "--start", "2030-01-01T00:00:00Z", "--end", "2030-01-01T01:00:00Z",
            "--test", "no-such-test");
        Assert.NotEqual(0, unknownTest.ExitCode);
        Assert.Contains("no-such-test", unknownTest.Error, StringComparison.Ordinal);

        var nothing = await cli.RunAsync("maintenance", "update", Guid.NewGuid().ToString());
        Assert.True(nothing.ExitCode == ExitCodes.BadInput, nothing.ToString());
        Assert.Contains("Nothing to change", nothing.Error, StringComparison.Ordinal);

        var missing = await cli.RunAsync("maintenance", "rm", Guid.NewGuid().ToString());
        Assert.True(missing.ExitCode == ExitCodes.BadInput, missing.ToString());
        Assert.Contains("404", missing.Error, StringComparison.Ordinal);

        Assert.Equal(before, await environment.ScalarAsync("SELECT count(*) FROM maintenance_windows"));
    }
}
