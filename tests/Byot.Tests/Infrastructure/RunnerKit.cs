using System.Text;
using System.Text.Json;
using Byot.Shared.Queue;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Byot.Tests.Infrastructure;

/// <summary>Uploads tests through the real upload function, runs them on a real in-process runner and reads back
/// what was recorded; the shared plumbing of the runner's fault tests.</summary>
public sealed class RunnerKit : IAsyncDisposable
{
    /// <summary>Runner settings that keep fault tests short: a small pids limit, a short grace, no infra retry wait.</summary>
    public static readonly IReadOnlyDictionary<string, string?> FastSettings = new Dictionary<string, string?>
    {
        ["Byot:Runner:StopGraceSeconds"] = "1",
        ["Byot:Runner:PidsLimit"] = "64",
        // Under gVisor the 64 is the guest's RLIMIT_NPROC; the engine's backstop counts about nine host pids per process.
        ["Byot:Runner:GvisorPidsLimit"] = "1024",
        ["Byot:Runner:TmpfsMb"] = "8",
    };

    private RunnerKit(ByotEnvironment environment, FunctionsClient client, RunnerHost? runner)
    {
        Environment = environment;
        Client = client;
        Api = new ByotApi(client);
        Runner = runner;
    }

    public ByotEnvironment Environment { get; }

    public FunctionsClient Client { get; }

    public ByotApi Api { get; }

    public RunnerHost? Runner { get; private set; }

    public RunQueue Queue => Client.Services.GetRequiredService<RunQueue>();

    public static async Task<RunnerKit> StartAsync(ByotEnvironment environment, IDictionary<string, string?>? runnerSettings = null, bool startRunner = true)
    {
        var settings = new Dictionary<string, string?>(FastSettings);
        foreach (var (key, value) in runnerSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var client = new FunctionsClient(environment);
        var runner = startRunner ? await RunnerHost.StartAsync(environment, settings) : null;
        return new RunnerKit(environment, client, runner);
    }

    /// <summary>Queues a manual run the way run-now does (row, then message), however many of the test's runs are
    /// already queued: run-now itself answers the queued run instead (docs/security.md), so a test that needs many
    /// queued runs of one test makes them here.</summary>
    public async Task<Guid> QueueRunAsync(Guid testId)
    {
        var runs = Client.Services.GetRequiredService<Byot.Shared.Storage.RunStore>();
        var run = await runs.CreateManualAsync(Guid.NewGuid(), testId, CancellationToken.None) ?? throw new InvalidOperationException($"No test {testId}.");
        await Queue.EnqueueAsync(Byot.Shared.Queue.QueuedRun.Now(run), CancellationToken.None);
        await runs.MarkEnqueuedAsync(run.Id, CancellationToken.None);
        return run.Id;
    }

    /// <summary>A <c>#!/bin/sh</c> script; busybox's sh runs it under the "go" (binary) runtime.</summary>
    public static byte[] Shell(string body) => Encoding.UTF8.GetBytes("#!/bin/sh\n" + body.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");

    public async Task<Guid> UploadAsync(byte[] file, string runtime = "go", string fileName = "test.sh", params (string Name, string Value)[] fields)
    {
        var response = await Api.UploadAsync(file, fileName, [("runtime", runtime), ("severity", "P2"), .. fields]);
        Assert.True(response.Status == 201, response.ToString());
        return response.Json.GetProperty("id").GetGuid();
    }

    /// <summary>Uploads, runs once and waits for the final state.</summary>
    public async Task<(Guid RunId, JsonElement Run)> RunAsync(byte[] file, params (string Name, string Value)[] fields)
    {
        var testId = await UploadAsync(file, fields: fields);
        var runId = await Api.RunNowOkAsync(testId);
        return (runId, await Api.WaitForFinalAsync(runId));
    }

    public Task<string> LogAsync(Guid runId) => Environment.ReadLogAsync($"{runId:D}.log");

    /// <summary>The byot-labelled containers and volumes of one run that still exist on the engine.</summary>
    public static async Task<int> LeftoversAsync(Guid runId)
    {
        var filter = $"label=byot.run={runId:D}";
        var containers = await DockerAsync("ps", "-aq", "--filter", filter);
        var volumes = await DockerAsync("volume", "ls", "-q", "--filter", filter);
        return containers.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length
            + volumes.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
    }

    /// <summary>Waits until the run's container and volume are gone (they are removed after the result is recorded).</summary>
    public static async Task AssertCleanedUpAsync(Guid runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await LeftoversAsync(runId) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"run {runId}: container or volume still exists");
            await Task.Delay(100);
        }
    }

    public static async Task<string> DockerAsync(params string[] args)
    {
        var (exitCode, output, errors) = await DockerCli.RunAsync(args);
        Assert.True(exitCode == 0, $"docker {string.Join(' ', args)}: {errors}");
        return output;
    }

    public async Task StopRunnerAsync()
    {
        if (Runner is not null)
        {
            await Runner.DisposeAsync();
            Runner = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopRunnerAsync();
        await Client.DisposeAsync();
    }
}
