using System.Text.Json;
using Byot.Cli;
using Xunit;

namespace Byot.Tests.Cli;

/// <summary><c>byot deploy</c>: plan, apply, re-apply (nothing changes, nothing uploaded), change, prune, bad YAML.
/// Its own environment, because --prune deletes every test the file does not name.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliDeployTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private const string Yaml = """
        tests:
          - name: deploy-api
            path: api.sh
            runtime: shell
            severity: P1
            schedule: 5m
            timeout: 30
            failureThreshold: 2
            secrets:
              API_TOKEN: DEPLOY_TOKEN
          - name: deploy-suite
            path: suite
            runtime: go
            schedule: "*/15 * * * *"
            timezone: Europe/Paris
            command: [/app/run, --fast]
        """;

    private CliServer server = null!;
    private CliDriver cli = null!;

    public async Task InitializeAsync()
    {
        server = await CliServer.StartAsync(environment, new Dictionary<string, string?> { ["Byot:Secrets:Key"] = Api.SecretsApiTests.Key });
        cli = new CliDriver(server.Url, CliServer.Key);
        cli.Environment["DEPLOY_TOKEN"] = "token-from-env";
        cli.Write("api.sh", "echo api ok\n");
        cli.Write("suite/run", "#!/bin/sh\necho suite\n", executable: true);
        cli.Write("suite/data/input.txt", "v1");
        cli.Write("suite/.git/HEAD", "ref: refs/heads/main");
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        cli.Dispose();
    }

    [Fact]
    public async Task Plan_apply_reapply_change_and_prune()
    {
        cli.Write("byot.yaml", Yaml);
        var plan = await cli.RunAsync("deploy", "--dry-run");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("+ create deploy-api", plan.Out, StringComparison.Ordinal);
        Assert.Contains("+ create deploy-suite", plan.Out, StringComparison.Ordinal);
        Assert.Contains("Plan: 2 to create, 0 to update, 0 unchanged, 0 to delete.", plan.Out, StringComparison.Ordinal);
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM tests"));

        var apply = await cli.RunAsync("deploy");
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal(2, await environment.ScalarAsync("SELECT count(*) FROM tests WHERE deleted_at IS NULL"));
        Assert.Equal(2, await environment.ScalarAsync("SELECT count(*) FROM test_artifacts"));
        var api = await ShowAsync("deploy-api");
        Assert.Equal("P1", api.GetProperty("severity").GetString());
        Assert.Equal(30, api.GetProperty("timeoutSeconds").GetInt32());
        Assert.Equal(2, api.GetProperty("failureThreshold").GetInt32());
        Assert.Equal("5m", api.GetProperty("schedule").GetProperty("expression").GetString());
        var suite = await ShowAsync("deploy-suite");
        Assert.Equal("Europe/Paris", suite.GetProperty("schedule").GetProperty("timeZone").GetString());
        Assert.Equal(["/app/run", "--fast"], suite.GetProperty("command").EnumerateArray().Select(c => c.GetString()));
        var secrets = await cli.RunAsync("secrets", "ls", "deploy-api");
        Assert.Equal("API_TOKEN", secrets.Out.Trim());

        var again = await cli.RunAsync("deploy");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Plan: 0 to create, 0 to update, 2 unchanged, 0 to delete.", again.Out, StringComparison.Ordinal);
        Assert.Equal(2, await environment.ScalarAsync("SELECT count(*) FROM test_artifacts"));
        Assert.Equal(api.GetProperty("updatedAt").GetDateTimeOffset(), (await ShowAsync("deploy-api")).GetProperty("updatedAt").GetDateTimeOffset());
        Assert.Equal(suite.GetProperty("updatedAt").GetDateTimeOffset(), (await ShowAsync("deploy-suite")).GetProperty("updatedAt").GetDateTimeOffset());

        // Git metadata is not part of the bundle: a commit changes nothing.
        cli.Write("suite/.git/HEAD", "ref: refs/heads/other");
        var afterCommit = await cli.RunAsync("deploy", "--dry-run");
        Assert.Contains("Plan: 0 to create, 0 to update, 2 unchanged, 0 to delete.", afterCommit.Out, StringComparison.Ordinal);

        // One field and one file in the bundled directory change: only those are sent.
        cli.Write("byot.yaml", Yaml.Replace("severity: P1", "severity: P0", StringComparison.Ordinal));
        cli.Write("suite/data/input.txt", "v2");
        var change = await cli.RunAsync("deploy", "--json");
        Assert.True(change.ExitCode == 0, change.ToString());
        var items = JsonDocument.Parse(change.Out).RootElement.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!);
        Assert.Equal("update", items["deploy-api"].GetProperty("action").GetString());
        Assert.False(items["deploy-api"].GetProperty("upload").GetBoolean());
        Assert.Equal("update", items["deploy-suite"].GetProperty("action").GetString());
        Assert.True(items["deploy-suite"].GetProperty("upload").GetBoolean());
        Assert.Equal("P0", (await ShowAsync("deploy-api")).GetProperty("severity").GetString());
        Assert.Equal(1, (await ShowAsync("deploy-api")).GetProperty("artifactVersion").GetInt32());
        Assert.Equal(2, (await ShowAsync("deploy-suite")).GetProperty("artifactVersion").GetInt32());

        // Dropped from the file: kept without --prune, deleted with it.
        cli.Write("byot.yaml", Yaml[..Yaml.IndexOf("  - name: deploy-suite", StringComparison.Ordinal)].Replace("severity: P1", "severity: P0", StringComparison.Ordinal));
        var kept = await cli.RunAsync("deploy");
        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Contains("? kept deploy-suite", kept.Out, StringComparison.Ordinal);
        Assert.Equal(2, await environment.ScalarAsync("SELECT count(*) FROM tests WHERE deleted_at IS NULL"));
        var pruned = await cli.RunAsync("deploy", "--prune");
        Assert.True(pruned.ExitCode == 0, pruned.ToString());
        Assert.Contains("- delete deploy-suite", pruned.Out, StringComparison.Ordinal);
        Assert.Contains("Plan: 0 to create, 0 to update, 1 unchanged, 1 to delete.", pruned.Out, StringComparison.Ordinal);
        Assert.Equal(1, await environment.ScalarAsync("SELECT count(*) FROM tests WHERE deleted_at IS NULL"));
    }

    [Fact]
    public async Task Bad_yaml_names_line_and_column_and_bad_input_changes_nothing()
    {
        cli.Write("bad.yaml", "tests:\n  - name: x\n    path: api.sh\n    runtme: shell\n");
        var unknownField = await cli.RunAsync("deploy", "--file", "bad.yaml");
        Assert.True(unknownField.ExitCode == ExitCodes.BadInput, unknownField.ToString());
        Assert.Contains("bad.yaml:4:5: ", unknownField.Error, StringComparison.Ordinal);
        Assert.Contains("runtme", unknownField.Error, StringComparison.Ordinal);

        cli.Write("broken.yaml", "tests:\n  - name: x\n    path: [api.sh\n");
        var syntax = await cli.RunAsync("deploy", "--file", "broken.yaml");
        Assert.True(syntax.ExitCode == ExitCodes.BadInput, syntax.ToString());
        Assert.Matches(@"broken\.yaml:\d+:\d+: ", syntax.Error);

        cli.Write("nosecret.yaml", "tests:\n  - name: x\n    path: api.sh\n    runtime: shell\n    secrets:\n      TOKEN: NOT_SET_ANYWHERE\n");
        var secret = await cli.RunAsync("deploy", "--file", "nosecret.yaml");
        Assert.True(secret.ExitCode == ExitCodes.BadInput, secret.ToString());
        Assert.Contains("NOT_SET_ANYWHERE", secret.Error, StringComparison.Ordinal);
        Assert.Contains("nosecret.yaml:2:5: tests[0] (x)", secret.Error, StringComparison.Ordinal);

        cli.Write("nopath.yaml", "tests:\n  - name: x\n    path: missing.sh\n    runtime: shell\n");
        var path = await cli.RunAsync("deploy", "--file", "nopath.yaml");
        Assert.True(path.ExitCode == ExitCodes.BadInput, path.ToString());
        Assert.Contains("missing.sh", path.Error, StringComparison.Ordinal);

        var missing = await cli.RunAsync("deploy", "--file", "nothere.yaml");
        Assert.True(missing.ExitCode == ExitCodes.BadInput, missing.ToString());
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM tests WHERE name = 'x'"));
    }

    private async Task<JsonElement> ShowAsync(string name)
    {
        var show = await cli.RunAsync("show", name, "--json");
        Assert.True(show.ExitCode == 0, show.ToString());
        return JsonDocument.Parse(show.Out).RootElement.GetProperty("test").Clone();
    }
}
