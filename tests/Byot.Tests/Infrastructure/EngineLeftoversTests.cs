using Xunit;

namespace Byot.Tests.Infrastructure;

/// <summary>The test plumbing cleans up what it started in every outcome: a runner disposed while its run is still
/// going (a test that failed waiting for a run that never ends) leaves no container or volume on the shared engine.</summary>
public sealed class EngineLeftoversTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    [Fact]
    public async Task A_runner_disposed_mid_run_leaves_no_container_or_volume_behind()
    {
        var kit = await RunnerKit.StartAsync(environment);
        var runnerId = kit.Runner!.RunnerId;
        try
        {
            var testId = await kit.UploadAsync(RunnerKit.Shell("echo started\nwhile true; do sleep 1; done"), fields: ("timeout", "3600"));
            var runId = await kit.Api.RunNowOkAsync(testId);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await RunnerKit.LeftoversAsync(runId) < 2)
            {
                Assert.True(DateTime.UtcNow < deadline, $"run {runId}: its container never appeared");
                await Task.Delay(200);
            }

            // The runner is cut off without draining (the drain would wait for a run that never ends), then disposed.
            await kit.Runner.StopAsync(new CancellationToken(canceled: true));
            await kit.DisposeAsync();

            Assert.Equal(0, await RunnerKit.LeftoversAsync(runId));
            Assert.Equal(0, await EngineLeftovers.CountAsync(runnerId));
        }
        finally
        {
            await kit.DisposeAsync();
            await EngineLeftovers.RemoveAsync(runnerId);
        }
    }
}
