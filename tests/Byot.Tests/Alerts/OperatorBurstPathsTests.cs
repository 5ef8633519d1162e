using Byot.Shared.Domain;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>docs/reliability.md row 19, the other ways a run ends in infra_error: closed unstarted (a poisoned message) and
/// closed by the sweep when its runner vanished. Both count towards the one operator alert.</summary>
public sealed class OperatorBurstPathsTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment);

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task Poisoned_and_abandoned_runs_raise_one_operator_alert_and_no_owner_page()
    {
        var test = await h.CreateTestAsync("inventory", "P0", threshold: 1);
        for (var i = 0; i < 2; i++)
        {
            var poisoned = Guid.NewGuid();
            await h.Runs.CreateManualAsync(poisoned, test, CancellationToken.None);
            Assert.True(await h.Completion.FailUnstartedAsync(poisoned, RunStatus.InfraError, "The queue delivered this run 6 times without a result.", CancellationToken.None));
        }

        await h.DeliverAsync();
        Assert.Empty(h.Smtp.Messages);

        var abandoned = Guid.NewGuid();
        await h.Runs.CreateManualAsync(abandoned, test, CancellationToken.None);
        Assert.NotNull(await h.Runs.ClaimAsync(abandoned, "vanished-runner", TimeSpan.FromMilliseconds(1), CancellationToken.None));
        // Let the 1 ms lease lapse (Postgres' clock), then sweep.
        await Task.Delay(50);
        Assert.Equal(1, (await h.Completion.RecoverExpiredLeasesAsync(TimeSpan.Zero, maxAttempts: 1, CancellationToken.None)).Closed);

        await h.DeliverAsync();
        var alert = Assert.Single(h.Smtp.Messages);
        Assert.Equal("[BYOT operator] 3 runs ended in infra_error", alert.Header("Subject"));
        Assert.Contains("Error: 1 run(s) closed as infra_error: their runner stopped renewing its lease.", alert.Body, StringComparison.Ordinal);
        Assert.Contains("Runners: vanished-runner", alert.Body, StringComparison.Ordinal);
        Assert.Contains("- inventory on no runner at ", alert.Body, StringComparison.Ordinal);
        Assert.Empty(h.Http.Requests);
        Assert.Empty((await h.AlertsAsync(test)).GetProperty("incidents").EnumerateArray());
    }
}
