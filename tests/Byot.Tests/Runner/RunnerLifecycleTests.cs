using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Runner;

/// <summary>docs/reliability.md rows 23 and 24: a runner that crashed (leftovers, a run holding an expired lease) and a runner
/// asked to stop.</summary>
public sealed class RunnerLifecycleTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private RunnerKit kit = null!;

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment, startRunner: false);

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task At_start_a_runner_removes_its_own_orphans_and_nobody_elses()
    {
        var runnerId = "crashed-" + Guid.NewGuid().ToString("N")[..8];
        var otherId = "other-" + Guid.NewGuid().ToString("N")[..8];
        var orphanRun = Guid.NewGuid();
        var otherRun = Guid.NewGuid();
        await CreateLabelledAsync(runnerId, orphanRun);
        await CreateLabelledAsync(otherId, otherRun);
        try
        {
            Assert.Equal(2, await RunnerKit.LeftoversAsync(orphanRun));

            await using var runner = await RunnerHost.StartAsync(environment, new Dictionary<string, string?> { ["Byot:Runner:Id"] = runnerId });

            await RunnerKit.AssertCleanedUpAsync(orphanRun);
            Assert.Equal(2, await RunnerKit.LeftoversAsync(otherRun));
        }
        finally
        {
            await RunnerKit.DockerAsync("rm", "-f", $"byot-{otherRun:N}-1");
            await RunnerKit.DockerAsync("volume", "rm", "-f", $"byot-{otherRun:N}-1-app");
        }
    }

    [Fact]
    public async Task Run_whose_runner_died_is_retried_once_its_lease_expires_and_closed_past_the_attempt_limit()
    {
        var retried = await OrphanedRunAsync(attempt: 1);
        var exhausted = await OrphanedRunAsync(attempt: 3);

        await using var runner = await RunnerHost.StartAsync(environment, new Dictionary<string, string?> { ["Byot:Runner:MaxInfraAttempts"] = "3" });

        var run = await kit.Api.WaitForFinalAsync(retried);
        Assert.Equal("passed", run.GetProperty("status").GetString());
        Assert.Equal(2, run.GetProperty("attempt").GetInt32());
        var closed = await kit.Api.WaitForFinalAsync(exhausted);
        Assert.Equal("infra_error", closed.GetProperty("status").GetString());
        Assert.Equal(4, closed.GetProperty("attempt").GetInt32());
        Assert.Contains("runner lost", closed.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_runner_receives_nothing_more_and_finishes_the_run_in_flight()
    {
        var runner = await RunnerHost.StartAsync(environment);
        var slow = await kit.UploadAsync(RunnerKit.Shell("echo started\nsleep 3\necho finished"));
        var quick = await kit.UploadAsync(RunnerKit.Shell("echo quick"));
        var inFlight = await kit.Api.RunNowOkAsync(slow);
        await WaitForStatusAsync(inFlight, "running");

        var stopping = runner.StopAsync();
        var later = await kit.Api.RunNowOkAsync(quick);
        await stopping;
        await runner.DisposeAsync();

        var run = await kit.Api.WaitForFinalAsync(inFlight, TimeSpan.FromSeconds(1));
        Assert.Equal("passed", run.GetProperty("status").GetString());
        Assert.Contains("[stdout] finished", await kit.LogAsync(inFlight), StringComparison.Ordinal);
        await RunnerKit.AssertCleanedUpAsync(inFlight);
        var untouched = await kit.Api.GetRunAsync(later.ToString());
        Assert.Equal("queued", untouched.Json.GetProperty("status").GetString());
        Assert.Equal(1, (await environment.Queues.GetQueueClient(environment.RunsQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    /// <summary>A run as a SIGKILLed runner leaves it: running, held by a dead runner, lease expired, message back.</summary>
    private async Task<Guid> OrphanedRunAsync(int attempt)
    {
        var testId = await kit.UploadAsync(RunnerKit.Shell("echo recovered"));
        var runId = await kit.Api.RunNowOkAsync(testId);
        await environment.ScalarAsync(
            "UPDATE runs SET status = 'running', runner_id = 'dead-runner', lease_until = now() - interval '1 second', attempt = @attempt WHERE id = @id",
            ("id", runId), ("attempt", attempt));
        return runId;
    }

    private async Task WaitForStatusAsync(Guid runId, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await kit.Api.GetRunAsync(runId.ToString())).Json.GetProperty("status").GetString() != status)
        {
            Assert.True(DateTime.UtcNow < deadline, $"run {runId} never became {status}");
            await Task.Delay(50);
        }
    }

    private static async Task CreateLabelledAsync(string runnerId, Guid runId)
    {
        var name = $"byot-{runId:N}-1";
        string[] labels = ["--label", "byot.managed=true", "--label", $"byot.runner={runnerId}", "--label", $"byot.run={runId:D}"];
        await RunnerKit.DockerAsync(["volume", "create", .. labels, name + "-app"]);
        await RunnerKit.DockerAsync(["create", "--name", name, .. labels, RunnerHost.BusyboxImage, "sleep", "600"]);
    }
}
