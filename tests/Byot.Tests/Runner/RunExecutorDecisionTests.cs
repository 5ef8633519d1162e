using Byot.Shared.Domain;
using Xunit;

namespace Byot.Tests.Runner;

/// <summary>The executor's decisions over real Postgres and Azurite with a fake container engine, so each case takes
/// milliseconds instead of a container: how an exit, a timeout, an OOM kill, a dead engine, a lost lease and a
/// stopping runner end a run. The real engine's side of each stays covered by the tests that run containers
/// (RuntimeTests, ResourceLimitTests, EngineFaultTests, RunnerLifecycleTests).</summary>
public sealed class RunExecutorDecisionTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    [Theory]
    [InlineData(0, RunStatus.Passed)]
    [InlineData(3, RunStatus.Failed)]
    public async Task An_exit_code_decides_passed_or_failed_and_is_stored(int code, RunStatus expected)
    {
        await using var runner = FakeEngineRunner.Start(environment);

        var run = await runner.RunOnceAsync(FakeRun.Exits(code, "checking out\n"));

        Assert.Equal(expected, run.Status);
        Assert.Equal(code, run.ExitCode);
        Assert.Null(run.Error);
        Assert.Contains("[stdout] checking out", await environment.ReadLogAsync(run.LogBlobName!), StringComparison.Ordinal);
        Assert.Single(runner.Engine.Removed);
    }

    [Fact]
    public async Task A_container_still_running_at_its_timeout_is_timed_out_and_says_so()
    {
        await using var runner = FakeEngineRunner.Start(environment);

        var run = await runner.RunOnceAsync(FakeRun.Hang("started\n"), ("timeout", "1"));

        Assert.Equal(RunStatus.TimedOut, run.Status);
        Assert.Equal("Stopped after the 1-second timeout.", run.Error);
        Assert.Contains("Stopped after the 1-second timeout.", await environment.ReadLogAsync(run.LogBlobName!), StringComparison.Ordinal);
        Assert.Single(runner.Engine.Removed);
    }

    [Fact]
    public async Task An_oom_kill_is_oom_never_a_plain_failure()
    {
        await using var runner = FakeEngineRunner.Start(environment);

        var run = await runner.RunOnceAsync(FakeRun.Oom(), ("docker_memory_mb", "64"));

        Assert.Equal(RunStatus.Oom, run.Status);
        Assert.Equal("Killed for exceeding its 64 MiB memory limit: raise docker_memory_mb (PATCH /tests/{id} memoryMb) if the test needs more.", run.Error);
    }

    [Fact]
    public async Task An_engine_that_is_down_hands_the_run_back_then_closes_it_as_infra_error_on_the_last_attempt()
    {
        await using var runner = FakeEngineRunner.Start(environment, new Dictionary<string, string?> { ["Byot:Runner:MaxInfraAttempts"] = "2" });
        runner.Engine.CreateFault = "Docker engine error while creating the container: connection refused";
        var runId = await runner.QueueRunAsync();

        await runner.ExecuteAsync(await runner.ReceiveAsync(runId));
        var handedBack = await runner.FindAsync(runId);
        await runner.ExecuteAsync(await runner.ReceiveAsync(runId));
        var closed = await runner.FindAsync(runId);

        Assert.Equal(RunStatus.Queued, handedBack.Status);
        Assert.Null(handedBack.RunnerId);
        Assert.Equal(RunStatus.InfraError, closed.Status);
        Assert.Equal(2, closed.Attempt);
        Assert.Contains("connection refused", closed.Error, StringComparison.Ordinal);
        Assert.Contains("infrastructure error", await environment.ReadLogAsync(closed.LogBlobName!), StringComparison.Ordinal);
        Assert.Empty(runner.Engine.Created);
    }

    [Fact]
    public async Task An_engine_dying_under_a_running_container_is_infra_error_and_the_container_is_still_removed()
    {
        await using var runner = FakeEngineRunner.Start(environment, new Dictionary<string, string?> { ["Byot:Runner:MaxInfraAttempts"] = "1" });

        var run = await runner.RunOnceAsync(FakeRun.EngineDies());

        Assert.Equal(RunStatus.InfraError, run.Status);
        Assert.Contains("the Docker engine went away", run.Error, StringComparison.Ordinal);
        Assert.Single(runner.Engine.Removed);
    }

    [Fact]
    public async Task A_lease_taken_by_another_runner_stops_the_run_removes_its_container_and_records_nothing()
    {
        await using var runner = FakeEngineRunner.Start(environment, new Dictionary<string, string?> { ["Byot:Runner:VisibilityTimeoutSeconds"] = "6" });
        runner.Engine.Next = FakeRun.Hang();
        var runId = await runner.QueueRunAsync(("timeout", "120"));
        var execution = runner.ExecuteAsync(await runner.ReceiveAsync(runId));
        await runner.Engine.Started.WaitAsync(TimeSpan.FromSeconds(30));

        await environment.ScalarAsync(
            "WITH u AS (UPDATE runs SET runner_id = 'other-runner', lease_until = now() + interval '10 minutes' WHERE id = @id RETURNING 1) SELECT count(*) FROM u",
            ("id", runId));
        await execution.WaitAsync(TimeSpan.FromSeconds(60));

        var run = await runner.FindAsync(runId);
        Assert.Equal(RunStatus.Running, run.Status);
        Assert.Equal("other-runner", run.RunnerId);
        Assert.Null(run.FinishedAt);
        Assert.Single(runner.Engine.Removed);
    }

    [Fact]
    public async Task A_runner_stopping_mid_run_records_nothing_and_still_removes_the_container()
    {
        await using var runner = FakeEngineRunner.Start(environment);
        runner.Engine.Next = FakeRun.Hang();
        var runId = await runner.QueueRunAsync(("timeout", "120"));
        using var stopping = new CancellationTokenSource();
        var execution = runner.ExecuteAsync(await runner.ReceiveAsync(runId), stopping.Token);
        await runner.Engine.Started.WaitAsync(TimeSpan.FromSeconds(30));

        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => execution.WaitAsync(TimeSpan.FromSeconds(60)));
        var run = await runner.FindAsync(runId);
        Assert.Equal(RunStatus.Running, run.Status);
        Assert.Null(run.FinishedAt);
        Assert.Single(runner.Engine.Removed);
    }
}
