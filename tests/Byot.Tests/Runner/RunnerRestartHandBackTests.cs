using Byot.Shared.Artifacts;
using Byot.Shared.Storage;
using Byot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Byot.Tests.Runner;

/// <summary>A runner that died holding a run and comes back with the same id hands the run back at start, instead of
/// leaving it "running" with no container until its lease runs out; the second attempt keeps the first one's partial
/// log, marked, before its own lines.</summary>
public sealed class RunnerRestartHandBackTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private RunnerKit kit = null!;

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment, startRunner: false);

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task A_restarted_runner_hands_back_its_own_run_and_attempt_1s_log_is_kept_and_marked()
    {
        var runnerId = "crashed-" + Guid.NewGuid().ToString("N")[..8];
        var testId = await kit.UploadAsync(RunnerKit.Shell("echo attempt two ran $BYOT_ATTEMPT"));
        var runId = Guid.NewGuid();
        var runs = kit.Client.Services.GetRequiredService<RunStore>();
        Assert.NotNull(await runs.CreateManualAsync(runId, testId, CancellationToken.None));

        // The crashed process: it claimed the run with a lease far longer than this test (so no lease sweep could
        // recover it), started writing its log, and died; its queue message stays hidden.
        Assert.NotNull(await runs.ClaimAsync(runId, runnerId, TimeSpan.FromHours(1), CancellationToken.None));
        Assert.True(await runs.MarkStartedAsync(runId, runnerId, "runc", CancellationToken.None));
        var logs = kit.Client.Services.GetRequiredService<LogStore>();
        var blob = RunStore.LogBlobName(runId);
        await logs.CreateAsync(blob, CancellationToken.None);
        await logs.AppendAsync(blob, "2026-12-01T09:00:00.000Z [stdout] attempt one got this far\n"u8.ToArray(), 0, CancellationToken.None);

        await using var runner = await RunnerHost.StartAsync(environment, new Dictionary<string, string?>(RunnerKit.FastSettings) { ["Byot:Runner:Id"] = runnerId });
        var run = await kit.Api.WaitForFinalAsync(runId, TimeSpan.FromSeconds(60));

        Assert.True(run.GetProperty("status").GetString() == "passed", run.ToString());
        Assert.Equal(2, run.GetProperty("attempt").GetInt32());
        var log = await kit.LogAsync(runId);
        var first = log.IndexOf("[stdout] attempt one got this far", StringComparison.Ordinal);
        var marker = log.IndexOf($"[byot] attempt 1 ended without a result (Runner {runnerId} restarted while it held attempt 1; handed back.); attempt 2 follows", StringComparison.Ordinal);
        var second = log.IndexOf("[stdout] attempt two ran 2", StringComparison.Ordinal);
        Assert.True(first >= 0 && marker > first && second > marker, log);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(log), run.GetProperty("logBytes").GetInt64());
    }
}
