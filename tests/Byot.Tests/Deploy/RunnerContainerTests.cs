using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Deploy;

/// <summary>The runner the way the compose file runs it: in a container as the non-root <c>app</c> user, with the
/// host's Docker socket mounted and only the socket's group added, a read-only root file system, no capabilities,
/// the artifact cache on a named volume. A run queued through the API passes end to end, and <c>docker stop</c>
/// (SIGTERM) ends the container with exit code 0.</summary>
public sealed class RunnerContainerTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private readonly string name = "byot-runner-test-" + Guid.NewGuid().ToString("N")[..10];
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
        await Command.RunAsync("docker", ["rm", "-f", name]);
        await Command.RunAsync("docker", ["volume", "rm", "-f", name + "-cache"]);
    }

    [Fact]
    public void Runner_image_runs_as_the_non_root_app_user()
    {
        var stage = RunnerContainerImage.FinalStage();
        Assert.Contains(stage, i => i.Instruction == "USER" && i.Text.Trim() == "USER app");
        Assert.Contains(stage, i => i.Instruction == "ENTRYPOINT" && i.Text.Contains("/opt/byot-runner/Byot.Runner", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Containerized_runner_with_only_the_socket_group_executes_a_run_and_stops_cleanly()
    {
        var image = await RunnerContainerImage.TagAsync();
        var socketGroup = await Command.RunAsync("stat", ["-c", "%g", "/var/run/docker.sock"]);
        Assert.True(socketGroup.ExitCode == 0, socketGroup.ToString());

        var settings = environment.Settings(new Dictionary<string, string?>
        {
            ["Byot:Runner:Id"] = name,
            ["Byot:Runner:MaxIdlePollMilliseconds"] = "200",
            ["Byot:Runner:Runtimes:go:Image"] = RunnerHost.BusyboxImage,
            ["Byot:Runner:Runtimes:node:Image"] = RunnerHost.NodeImage,
        });
        List<string> run =
        [
            "run", "-d", "--name", name, "--network", "host",
            "--group-add", socketGroup.Stdout.Trim(), "-v", "/var/run/docker.sock:/var/run/docker.sock",
            "-v", name + "-cache:/var/cache/byot-runner",
            "--read-only", "--tmpfs", "/tmp", "--cap-drop", "ALL", "--security-opt", "no-new-privileges:true",
        ];
        foreach (var (key, value) in settings)
        {
            run.AddRange(["-e", key.Replace(":", "__", StringComparison.Ordinal) + "=" + value]);
        }

        run.Add(image);
        var started = await Command.RunAsync("docker", run);
        Assert.True(started.ExitCode == 0, started.ToString());
        Assert.True(await LogsContainAsync("Application started", TimeSpan.FromSeconds(60)), await LogsAsync());

        var pid = await Command.RunAsync("docker", ["inspect", "-f", "{{.State.Pid}}", name]);
        var status = await File.ReadAllLinesAsync($"/proc/{pid.Stdout.Trim()}/status");
        var uids = status.Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1..];
        Assert.All(uids, u => Assert.Equal(RunnerContainerImage.AppUid, u));
        var capabilities = status.Single(l => l.StartsWith("CapEff:", StringComparison.Ordinal)).Split('\t')[1];
        Assert.Equal(0UL, Convert.ToUInt64(capabilities, 16));

        var binary = TestPrograms.StaticBinary(0, (false, "runner in a container says hello"));
        var testId = await api.UploadOkAsync(binary, "go");
        var runId = await api.RunNowOkAsync(testId);
        System.Text.Json.JsonElement result;
        try
        {
            result = await api.WaitForFinalAsync(runId, TimeSpan.FromSeconds(90));
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new Xunit.Sdk.XunitException(e.Message + "\nrunner container log:\n" + await LogsAsync());
        }

        Assert.True(result.GetProperty("status").GetString() == "passed", result + "\n" + await LogsAsync());
        Assert.Contains("[stdout] runner in a container says hello", await environment.ReadLogAsync($"{runId:D}.log"), StringComparison.Ordinal);

        var stop = await Command.RunAsync("docker", ["stop", "-t", "60", name], timeout: TimeSpan.FromSeconds(90));
        Assert.True(stop.ExitCode == 0, stop.ToString());
        var exit = await Command.RunAsync("docker", ["inspect", "-f", "{{.State.ExitCode}}", name]);
        Assert.True(exit.Stdout.Trim() == "0", exit + "\n" + await LogsAsync());
        Assert.Contains("Application is shutting down", await LogsAsync(), StringComparison.Ordinal);
    }

    private async Task<string> LogsAsync()
    {
        var logs = await Command.RunAsync("docker", ["logs", name]);
        return logs.Stdout + logs.Stderr;
    }

    private async Task<bool> LogsContainAsync(string text, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        do
        {
            if ((await LogsAsync()).Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        return false;
    }
}
