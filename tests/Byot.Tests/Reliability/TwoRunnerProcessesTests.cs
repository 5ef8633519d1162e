using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Reliability;

/// <summary>Issue 8 and docs/reliability.md row 7 at scale: two Runner processes (separate operating-system processes, as on
/// two hosts) compete on one queue for 100 queued runs, each of whose messages is delivered twice (at-least-once
/// delivery). Every run is executed exactly once (one final row, attempt 1, one container created for it, one
/// "finished" line in the runners' logs, its output once in its log), and both runners take a share.</summary>
public sealed class TwoRunnerProcessesTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private const int Runs = 100;
    private readonly string cache = Path.Combine(Path.GetTempPath(), "byot-reliability-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string[] ids = ["proc-a-" + Guid.NewGuid().ToString("N")[..8], "proc-b-" + Guid.NewGuid().ToString("N")[..8]];
    private RunnerKit kit = null!;

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment, startRunner: false);

    public async Task DisposeAsync()
    {
        await kit.DisposeAsync();
        foreach (var id in ids)
        {
            await EngineLeftovers.RemoveAsync(id);
        }

        if (Directory.Exists(cache))
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public async Task Two_runner_processes_execute_100_queued_runs_exactly_once_and_share_the_load()
    {
        var testId = await kit.UploadAsync(RunnerKit.Shell("echo hello from a shared queue"));
        await using var creations = await ContainerCreations.StartAsync();
        await using var a = await RunnerProcesses.StartAsync(environment.Settings(RunnerProcesses.Settings(ids[0], 3, cache)));
        await using var b = await RunnerProcesses.StartAsync(environment.Settings(RunnerProcesses.Settings(ids[1], 3, cache)));

        var runIds = new List<Guid>();
        for (var i = 0; i < Runs; i++)
        {
            var runId = await kit.QueueRunAsync(testId);
            await kit.Queue.EnqueueAsync(new Byot.Shared.Queue.QueuedRun(runId, testId, "default", TimeSpan.Zero), CancellationToken.None);
            runIds.Add(runId);
        }

        // Done means every message handled (the duplicates too, so a second claim had its chance) and every run final.
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (await QueuedMessagesAsync() > 0
               || await environment.ScalarAsync("SELECT count(*) FROM runs WHERE test_id = @t AND (finished_at IS NULL OR status IN ('queued', 'running'))", ("t", testId)) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "runs or messages still unfinished\n" + a.Output + b.Output);
            await Task.Delay(250);
        }

        Assert.Equal(Runs, await environment.ScalarAsync("SELECT count(*) FROM runs WHERE test_id = @t", ("t", testId)));
        Assert.Equal(Runs, await environment.ScalarAsync("SELECT count(*) FROM runs WHERE test_id = @t AND status = 'passed' AND attempt = 1", ("t", testId)));
        var byA = await environment.ScalarAsync("SELECT count(*) FROM runs WHERE test_id = @t AND runner_id = @r", ("t", testId), ("r", ids[0]));
        var byB = await environment.ScalarAsync("SELECT count(*) FROM runs WHERE test_id = @t AND runner_id = @r", ("t", testId), ("r", ids[1]));
        Assert.Equal(Runs, byA + byB);
        Assert.True(byA > 0 && byB > 0, $"load not shared: {ids[0]} ran {byA}, {ids[1]} ran {byB}");

        // One container per run, from the engine's own live record of what was created.
        foreach (var runId in runIds)
        {
            Assert.True(creations.For(runId) == 1, $"run {runId}: {creations.For(runId)} containers created");
            var finished = Count(a.Output, $"Run {runId:D} passed") + Count(b.Output, $"Run {runId:D} passed");
            Assert.True(finished == 1, $"run {runId} finished {finished} times in the runners' logs");
        }

        foreach (var runId in runIds)
        {
            var printed = Count(await kit.LogAsync(runId), "[stdout] hello from a shared queue");
            Assert.True(printed == 1, $"run {runId} printed its line {printed} times");
        }

        foreach (var runId in runIds.Take(5))
        {
            await RunnerKit.AssertCleanedUpAsync(runId);
        }

        Assert.True(await a.TerminateAsync(TimeSpan.FromSeconds(30)), a.Output);
        Assert.True(await b.TerminateAsync(TimeSpan.FromSeconds(30)), b.Output);
    }

    private async Task<int> QueuedMessagesAsync() =>
        (await environment.Queues.GetQueueClient(environment.RunsQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount;

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
