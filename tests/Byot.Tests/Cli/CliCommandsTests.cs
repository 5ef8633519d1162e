using System.Text.Json;
using Byot.Cli;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Cli;

/// <summary>Every everyday command against the real function classes over HTTP, with a real runner and Docker.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliCommandsTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    // Follow responses end after 1 s here, so every follow in this class also exercises the Last-Event-ID resume.
    private static readonly Dictionary<string, string?> KeySetting = new()
    {
        ["Byot:Secrets:Key"] = Api.SecretsApiTests.Key,
        ["Byot:Api:FollowMaxSeconds"] = "1",
        ["Byot:Status:Public"] = "true",
    };

    private CliServer server = null!;
    private RunnerHost runner = null!;
    private CliDriver cli = null!;

    public async Task InitializeAsync()
    {
        server = await CliServer.StartAsync(environment, KeySetting);
        runner = await RunnerHost.StartAsync(environment, KeySetting);
        cli = new CliDriver(server.Url, CliServer.Key);
    }

    public async Task DisposeAsync()
    {
        await runner.DisposeAsync();
        await server.DisposeAsync();
        cli.Dispose();
    }

    [Fact]
    public async Task Login_verifies_the_key_stores_it_owner_only_and_later_commands_use_it()
    {
        var login = new CliDriver(null, null);
        using (login)
        {
            var wrong = await login.RunWithInputAsync("not-the-key\n", "login", "--url", server.Url);
            Assert.True(wrong.ExitCode == ExitCodes.Unauthorized, wrong.ToString());
            Assert.Contains("refused the key (401", wrong.Error, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(login.ConfigDirectory, "config.json")));

            var ok = await login.RunWithInputAsync(CliServer.Key + "\n", "login", "--url", server.Url);
            Assert.True(ok.ExitCode == 0, ok.ToString());
            Assert.DoesNotContain(CliServer.Key, ok.Out + ok.Error, StringComparison.Ordinal);
            var file = Path.Combine(login.ConfigDirectory, "config.json");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Contains(CliServer.Key, await File.ReadAllTextAsync(file), StringComparison.Ordinal);

            var ls = await login.RunAsync("ls", "--json");
            Assert.True(ls.ExitCode == 0, ls.ToString());
            Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(ls.Out).RootElement.ValueKind);

            // Environment variables override the stored settings.
            login.Environment["BYOT_KEY"] = "wrong";
            var overridden = await login.RunAsync("ls");
            Assert.True(overridden.ExitCode == ExitCodes.Unauthorized, overridden.ToString());
        }
    }

    [Fact]
    public async Task Wrong_key_unreachable_api_and_missing_configuration_are_clear_errors()
    {
        using var wrong = new CliDriver(server.Url, "nope");
        var denied = await wrong.RunAsync("ls");
        Assert.True(denied.ExitCode == ExitCodes.Unauthorized, denied.ToString());
        Assert.Contains("BYOT_KEY", denied.Error, StringComparison.Ordinal);

        using var dead = new CliDriver("http://127.0.0.1:1", CliServer.Key);
        var unreachable = await dead.RunAsync("ls");
        Assert.True(unreachable.ExitCode == ExitCodes.Unreachable, unreachable.ToString());
        Assert.Contains("Cannot reach the BYOT API at http://127.0.0.1:1/", unreachable.Error, StringComparison.Ordinal);

        using var none = new CliDriver(null, null);
        var unconfigured = await none.RunAsync("ls");
        Assert.True(unconfigured.ExitCode == ExitCodes.BadInput, unconfigured.ToString());
        Assert.Contains("byot login", unconfigured.Error, StringComparison.Ordinal);

        var usage = await cli.RunAsync("push");
        Assert.True(usage.ExitCode == ExitCodes.Usage, usage.ToString());
    }

    [Fact]
    public async Task Push_a_file_then_ls_show_and_unknown_tests()
    {
        var script = cli.Write("checkout.sh", "echo checkout ok\n");
        var push = await cli.RunAsync("push", script, "--runtime", "shell", "--severity", "P1", "--schedule", "5m", "--name", "cli-checkout");
        Assert.True(push.ExitCode == 0, push.ToString());
        var id = Assert.Single(push.Out.Split(' ', '\n'), w => Guid.TryParse(w, out _));

        var ls = await cli.RunAsync("ls");
        Assert.True(ls.ExitCode == 0, ls.ToString());
        var row = Assert.Single(ls.Out.Split('\n'), l => l.StartsWith("cli-checkout ", StringComparison.Ordinal));
        Assert.Contains(id, row, StringComparison.Ordinal);
        Assert.Contains("5m", row, StringComparison.Ordinal);
        Assert.Contains("never_run", row, StringComparison.Ordinal);

        var show = await cli.RunAsync("show", "cli-checkout");
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("severity:", show.Out, StringComparison.Ordinal);
        Assert.Contains("P1", show.Out, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(script))), show.Out, StringComparison.Ordinal);

        var showJson = await cli.RunAsync("show", id, "--json");
        Assert.True(showJson.ExitCode == 0, showJson.ToString());
        Assert.Equal("cli-checkout", JsonDocument.Parse(showJson.Out).RootElement.GetProperty("test").GetProperty("name").GetString());

        var unknown = await cli.RunAsync("show", "no-such-test");
        Assert.True(unknown.ExitCode == ExitCodes.BadInput, unknown.ToString());
        Assert.Contains("Unknown test 'no-such-test'", unknown.Error, StringComparison.Ordinal);

        var missingId = await cli.RunAsync("show", Guid.NewGuid().ToString());
        Assert.True(missingId.ExitCode == ExitCodes.BadInput, missingId.ToString());
        Assert.Contains("404", missingId.Error, StringComparison.Ordinal);

        var badField = await cli.RunAsync("push", script, "--runtime", "cobol");
        Assert.True(badField.ExitCode == ExitCodes.BadInput, badField.ToString());
        Assert.Contains("'runtime'", badField.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pushed_directory_runs_in_a_real_container_with_its_secret_and_follow_mirrors_the_outcome()
    {
        cli.Write("suite/run", "#!/bin/sh\necho \"suite says $(cat /app/lib/data.txt)\"\nif [ \"$API_TOKEN\" = \"s3cr3t-value\" ]; then echo token-matches; fi\nexit 0\n", executable: true);
        cli.Write("suite/lib/data.txt", "hello-from-bundle");
        var push = await cli.RunAsync("push", Path.Combine(cli.Directory, "suite"), "--runtime", "go", "--name", "cli-suite");
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains("suite.tar.gz", push.Out, StringComparison.Ordinal);

        var secret = await cli.RunWithInputAsync("s3cr3t-value\n", "secrets", "set", "cli-suite", "API_TOKEN");
        Assert.True(secret.ExitCode == 0, secret.ToString());
        Assert.DoesNotContain("s3cr3t-value", secret.Out + secret.Error, StringComparison.Ordinal);
        var secrets = await cli.RunAsync("secrets", "ls", "cli-suite");
        Assert.Equal("API_TOKEN", secrets.Out.Trim());

        var run = await cli.RunAsync("run", "cli-suite", "--follow");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("[stdout] suite says hello-from-bundle", run.Out, StringComparison.Ordinal);
        Assert.Contains("[stdout] token-matches", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"run [0-9a-f-]{36} finished: passed \(exit 0\)\n$", run.Out);
        var runId = System.Text.RegularExpressions.Regex.Match(run.Out, @"run ([0-9a-f-]{36}) finished").Groups[1].Value;

        var logs = await cli.RunAsync("logs", runId);
        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.Contains("[stdout] suite says hello-from-bundle", logs.Out, StringComparison.Ordinal);

        var followFinished = await cli.RunAsync("logs", runId, "--follow", "--json");
        Assert.True(followFinished.ExitCode == 0, followFinished.ToString());
        Assert.Equal("passed", JsonDocument.Parse(followFinished.Out).RootElement.GetProperty("status").GetString());
        Assert.Contains("suite says hello-from-bundle", followFinished.Error, StringComparison.Ordinal);

        var history = await cli.RunAsync("history", "cli-suite");
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.Contains(runId, history.Out, StringComparison.Ordinal);
        Assert.Contains("passed", history.Out, StringComparison.Ordinal);

        var status = await cli.RunAsync("status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("cli-suite", status.Out, StringComparison.Ordinal);

        var statusJson = await cli.RunAsync("status", "--json");
        Assert.Contains(JsonDocument.Parse(statusJson.Out).RootElement.GetProperty("flows").EnumerateArray(), f => f.GetProperty("name").GetString() == "cli-suite");

        var badRun = await cli.RunAsync("logs", "not-a-run");
        Assert.True(badRun.ExitCode == ExitCodes.BadInput, badRun.ToString());
    }

    [Fact]
    public async Task Run_follow_exits_1_when_the_test_fails()
    {
        var script = cli.Write("broken.sh", "echo about to fail\nexit 3\n");
        var push = await cli.RunAsync("push", script, "--runtime", "shell", "--name", "cli-broken");
        Assert.True(push.ExitCode == 0, push.ToString());

        var run = await cli.RunAsync("run", "cli-broken", "--follow");
        Assert.True(run.ExitCode == ExitCodes.RunFailed, run.ToString());
        Assert.Contains("[stdout] about to fail", run.Out, StringComparison.Ordinal);
        Assert.Contains("finished: failed (exit 3)", run.Out, StringComparison.Ordinal);

        var queued = await cli.RunAsync("run", "cli-broken", "--json");
        Assert.True(queued.ExitCode == 0, queued.ToString());
        Assert.Equal("queued", JsonDocument.Parse(queued.Out).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task On_a_terminal_push_shows_progress_and_ls_draws_a_table()
    {
        using var terminal = new CliDriver(server.Url, CliServer.Key) { Terminal = true };
        var script = terminal.Write("tty.sh", "echo tty\n");
        var push = await terminal.RunAsync("push", script, "--runtime", "shell", "--name", "cli-tty");
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains("upload tty.sh", push.Out, StringComparison.Ordinal);
        Assert.Contains("created test", push.Out, StringComparison.Ordinal);

        var ls = await terminal.RunAsync("ls");
        Assert.True(ls.ExitCode == 0, ls.ToString());
        Assert.Contains("╭", ls.Out, StringComparison.Ordinal);
        Assert.Contains("cli-tty", ls.Out, StringComparison.Ordinal);

        // --json wins over the terminal.
        var json = await terminal.RunAsync("ls", "--json");
        Assert.Contains(JsonDocument.Parse(json.Out).RootElement.EnumerateArray(), t => t.GetProperty("test").GetProperty("name").GetString() == "cli-tty");
    }

    [Fact]
    public async Task Run_follow_resumes_across_server_cuts_without_gaps_or_repeats()
    {
        var script = cli.Write("slow.sh", "for i in 1 2 3 4 5; do echo slow-line-$i; sleep 1; done\n");
        var push = await cli.RunAsync("push", script, "--runtime", "shell", "--name", "cli-slow");
        Assert.True(push.ExitCode == 0, push.ToString());

        var run = await cli.RunAsync("run", "cli-slow", "--follow");
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Out.Split('\n').Where(l => l.Contains("slow-line-", StringComparison.Ordinal)).Select(l => l[(l.IndexOf("slow-line-", StringComparison.Ordinal))..]).ToList();
        Assert.Equal(["slow-line-1", "slow-line-2", "slow-line-3", "slow-line-4", "slow-line-5"], lines);
    }

    [Fact]
    public async Task Run_follow_exits_2_when_the_run_times_out()
    {
        var script = cli.Write("hang.sh", "echo hanging\nsleep 60\n");
        var push = await cli.RunAsync("push", script, "--runtime", "shell", "--name", "cli-hang", "--timeout", "1");
        Assert.True(push.ExitCode == 0, push.ToString());

        var run = await cli.RunAsync("run", "cli-hang", "--follow");
        Assert.True(run.ExitCode == ExitCodes.RunNotPassed, run.ToString());
        Assert.Contains("finished: timed_out", run.Out, StringComparison.Ordinal);
    }
}
