using Byot.Shared.Storage;
using Byot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Byot.Tests.Runner;

/// <summary>Run-now wakes the runner through Postgres LISTEN/NOTIFY. The runner's clock is frozen, so once idle its
/// poll never comes due: a run it picks up anyway was picked up because it was notified.</summary>
public sealed class RunWakeUpTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private const string ListeningQuery = $"LISTEN {RunSignals.Channel}";

    // Ahead of the real clock, so every wake-up's visible-at moment has already passed on the runner.
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow.AddDays(1));
    private RunnerKit kit = null!;

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment, startRunner: false);

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task A_runner_whose_poll_never_comes_due_runs_run_now_because_it_was_notified()
    {
        var testId = await kit.UploadAsync(RunnerKit.Shell("echo woken"));
        await using var runner = await StartFrozenRunnerAsync();
        await WaitForListenerAsync(except: null);

        // The first run may meet the runner's start-up receive; by the time it has finished the runner has polled
        // again, found nothing, and sleeps on a clock that does not move.
        await RunToPassAsync(testId);
        await RunToPassAsync(testId);
    }

    [Fact]
    public async Task The_listener_reconnects_after_its_connection_is_killed_and_wakes_the_runner_again()
    {
        var testId = await kit.UploadAsync(RunnerKit.Shell("echo woken again"));
        await using var runner = await StartFrozenRunnerAsync();
        var first = await WaitForListenerAsync(except: null);

        await environment.ScalarAsync("SELECT pg_terminate_backend(@pid)::int", ("pid", first));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await ListenerPidAsync(except: first) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the runner did not listen again after its connection was killed");

            // The listener waits one idle poll (on the runner's clock) before reconnecting.
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(100);
        }

        await RunToPassAsync(testId);
        await RunToPassAsync(testId);
    }

    private Task<RunnerHost> StartFrozenRunnerAsync() =>
        RunnerHost.StartAsync(
            environment,
            new Dictionary<string, string?>(RunnerKit.FastSettings) { ["Byot:Runner:MaxIdlePollMilliseconds"] = "1000" },
            services => services.AddSingleton<TimeProvider>(clock));

    private async Task RunToPassAsync(Guid testId)
    {
        var runId = await kit.Api.RunNowOkAsync(testId);
        var run = await kit.Api.WaitForFinalAsync(runId, TimeSpan.FromSeconds(60));
        Assert.Equal("passed", run.GetProperty("status").GetString());
    }

    private async Task<int> WaitForListenerAsync(int? except)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await ListenerPidAsync(except) is { } pid)
            {
                return pid;
            }

            Assert.True(DateTime.UtcNow < deadline, "the runner never started listening for queued runs");
            await Task.Delay(100);
        }
    }

    private async Task<int?> ListenerPidAsync(int? except)
    {
        await using var command = environment.DataSource.CreateCommand("""
            SELECT pid FROM pg_stat_activity
            WHERE datname = current_database() AND query = @query AND pid <> @except AND pid <> pg_backend_pid()
            LIMIT 1
            """);
        command.Parameters.AddWithValue("query", ListeningQuery);
        command.Parameters.AddWithValue("except", except ?? 0);
        return await command.ExecuteScalarAsync() is int pid ? pid : null;
    }
}
