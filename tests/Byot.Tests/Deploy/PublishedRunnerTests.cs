using System.Globalization;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Deploy;

/// <summary>The Runner as users install it: the self-contained single-file executable, staged by
/// deploy/runner/install.sh, started as a real process with the settings install.sh wrote to runner.env, against the
/// local Postgres, Azurite and Docker engine. A run queued through the API executes end to end, and SIGTERM stops
/// the process cleanly.</summary>
public sealed class PublishedRunnerTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private readonly string stage = Path.Combine(Path.GetTempPath(), "byot-install-" + Guid.NewGuid().ToString("N")[..10]);
    private FunctionsClient client = null!;
    private ByotApi api = null!;

    public Task InitializeAsync()
    {
        client = new FunctionsClient(environment);
        api = new ByotApi(client);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await client.DisposeAsync();
        if (Directory.Exists(stage))
        {
            Directory.Delete(stage, recursive: true);
        }
    }

    [Fact]
    public async Task Published_runner_installed_by_the_script_executes_a_queued_run_and_stops_cleanly_on_SIGTERM()
    {
        var published = await PublishedRunner.FolderAsync();
        var runnerId = "deploy-" + Guid.NewGuid().ToString("N")[..10];
        var settings = environment.Settings(new Dictionary<string, string?>
        {
            ["Byot:Runner:MaxIdlePollMilliseconds"] = "200",
            ["Byot:Runner:ArtifactCacheDirectory"] = Path.Combine(stage, "cache"),
            ["Byot:Runner:Runtimes:go:Image"] = RunnerHost.BusyboxImage,
            ["Byot:Runner:Runtimes:node:Image"] = RunnerHost.NodeImage,
        });
        List<string> arguments =
        [
            Repository.Path("deploy", "runner", "install.sh"), "--root", stage,
            "--binary", Path.Combine(published, PublishedRunner.ExecutableName),
            "--database", settings["Byot:Database:ConnectionString"]!,
            "--storage", settings["Byot:Storage:ConnectionString"]!,
            "--id", runnerId,
            "--max-concurrent", "2",
        ];
        foreach (var (key, value) in settings.Where(s => !s.Key.EndsWith(":ConnectionString", StringComparison.Ordinal)))
        {
            arguments.AddRange(["--set", key.Replace(":", "__", StringComparison.Ordinal) + "=" + value]);
        }

        var install = await Command.RunAsync("bash", arguments);
        Assert.True(install.ExitCode == 0, install.ToString());
        var executable = Path.Combine(stage, "opt", "byot-runner", PublishedRunner.ExecutableName);
        var environmentFile = RunnerEnvironmentFile.Read(Path.Combine(stage, "etc", "byot-runner", "runner.env"));
        Assert.Equal(runnerId, environmentFile["Byot__Runner__Id"]);
        Assert.Equal(environment.ConnectionString, environmentFile["Byot__Database__ConnectionString"]);

        await using var runner = RunnerProcess.Start(executable, environmentFile);
        Assert.True(await runner.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(60)), runner.Output);

        var binary = TestPrograms.StaticBinary(0, (false, "deployed runner says hello"), (true, "and writes to stderr"));
        var testId = await api.UploadOkAsync(binary, "go");
        var runId = await api.RunNowOkAsync(testId);
        var run = await api.WaitForFinalAsync(runId, TimeSpan.FromSeconds(90));

        Assert.True(run.GetProperty("status").GetString() == "passed", run + "\n" + runner.Output);
        Assert.Equal(0, run.GetProperty("exitCode").GetInt32());
        Assert.Equal(runnerId, await RunnerOfAsync(runId));
        var log = await environment.ReadLogAsync($"{runId:D}.log");
        Assert.Contains("[stdout] deployed runner says hello", log, StringComparison.Ordinal);
        Assert.Contains("[stderr] and writes to stderr", log, StringComparison.Ordinal);

        Assert.True(await runner.TerminateAsync(TimeSpan.FromSeconds(60)), "no exit after SIGTERM:\n" + runner.Output);
        Assert.True(runner.ExitCode == 0, $"exit code {runner.ExitCode}:\n{runner.Output}");
        Assert.Contains("Application is shutting down", runner.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", runner.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("crit:", runner.Output, StringComparison.Ordinal);

        var leftovers = await Command.RunAsync("docker", ["ps", "-aq", "--filter", "label=byot.runner=" + runnerId]);
        Assert.True(leftovers.ExitCode == 0 && leftovers.Stdout.Trim().Length == 0, leftovers.ToString());
    }

    private async Task<string> RunnerOfAsync(Guid runId)
    {
        await using var command = environment.DataSource.CreateCommand("SELECT runner_id FROM runs WHERE id = @id");
        command.Parameters.AddWithValue("id", runId);
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "";
    }
}
