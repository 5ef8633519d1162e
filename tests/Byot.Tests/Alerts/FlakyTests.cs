using Byot.Shared.Domain;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>docs/reliability.md row 27: a test that flaps pages nobody below its threshold and is marked flaky, visible at
/// GET /tests/{id}/alerts; passing only on a retry marks a test flaky too.</summary>
public sealed class FlakyTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment);

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task Row27_a_flapping_test_pages_nobody_below_its_threshold_and_is_marked_flaky()
    {
        var flapping = await h.CreateTestAsync("flapping-checkout", "P0", threshold: 3);
        var steady = await h.CreateTestAsync("steady-checkout", "P0", threshold: 3);

        await h.RecordManyAsync(flapping, RunStatus.Passed, RunStatus.Failed, RunStatus.Passed);
        Assert.False((await h.AlertsAsync(flapping)).GetProperty("flaky").GetBoolean());
        await h.RecordManyAsync(flapping, RunStatus.TimedOut, RunStatus.Passed, RunStatus.Failed, RunStatus.Failed, RunStatus.Passed);
        await h.RecordManyAsync(steady, RunStatus.Failed, RunStatus.Failed, RunStatus.Passed, RunStatus.Passed);
        await h.DeliverAsync();

        Assert.Empty(h.Http.Requests);
        var state = await h.AlertsAsync(flapping);
        Assert.True(state.GetProperty("flaky").GetBoolean());
        Assert.Equal(6, state.GetProperty("flips").GetInt32());
        Assert.Empty(state.GetProperty("incidents").EnumerateArray());
        var control = await h.AlertsAsync(steady);
        Assert.False(control.GetProperty("flaky").GetBoolean());
        Assert.Equal(1, control.GetProperty("flips").GetInt32());
    }

    [Fact]
    public async Task A_test_that_passes_only_on_a_retry_is_marked_flaky()
    {
        var test = await h.CreateTestAsync("retry-flake", "P1", threshold: 2);
        await h.RecordAsync(test, RunStatus.Failed);
        await h.RecordAsync(test, RunStatus.Passed, trigger: RunTrigger.Retry);

        var state = await h.AlertsAsync(test);
        Assert.True(state.GetProperty("flaky").GetBoolean());
        Assert.Equal(1, state.GetProperty("flips").GetInt32());
    }
}
