using System.Text;
using Byot.Runner.Containers;
using Byot.Runner.Worker;
using Byot.Shared.Artifacts;
using Byot.Shared.Options;
using Byot.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Byot.Tests.Runner;

/// <summary>What a run's log shows while it goes on and at its end: <c>logBytes</c> follows the stored log during the
/// run, and unfinished last lines of stdout and stderr are stored in the order they arrived, also within one
/// millisecond.</summary>
public sealed class LogProgressTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private RunnerKit kit = null!;

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment);

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task LogBytes_is_kept_current_while_the_run_is_in_progress()
    {
        var testId = await kit.UploadAsync(RunnerKit.Shell("echo first line\nwhile [ ! -e /tmp/never ]; do sleep 1; done"), fields: ("timeout", "8"));
        var runId = await kit.Api.RunNowOkAsync(testId);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var run = (await kit.Api.GetRunAsync(runId.ToString())).Json;
            Assert.True(run.GetProperty("status").GetString() is "queued" or "running", $"the run ended before logBytes followed its log: {run}");
            if (run.GetProperty("startedAt").ValueKind != System.Text.Json.JsonValueKind.Null)
            {
                var log = await kit.LogAsync(runId);
                if (log.Contains("[stdout] first line", StringComparison.Ordinal) && run.GetProperty("logBytes").GetInt64() == Encoding.UTF8.GetByteCount(log))
                {
                    break;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"logBytes never followed the stored log while running: {run}");
            await Task.Delay(100);
        }

        Assert.Equal("timed_out", (await kit.Api.WaitForFinalAsync(runId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Unfinished_stderr_and_stdout_lines_are_stored_in_arrival_order_within_one_millisecond()
    {
        var store = new BlobLogStore(environment.Blobs, Microsoft.Extensions.Options.Options.Create(new StorageOptions { LogsContainer = environment.LogsContainer }));
        var blob = Guid.NewGuid().ToString("N") + ".log";
        await store.CreateAsync(blob, CancellationToken.None);
        var frozen = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, 123, TimeSpan.Zero));
        await using var log = new RunLogWriter(store, blob, 1_000_000, TimeSpan.FromSeconds(30), frozen);

        await log.WriteAsync(OutputStream.Stderr, "err first"u8.ToArray(), CancellationToken.None);
        await log.WriteAsync(OutputStream.Stdout, "out second"u8.ToArray(), CancellationToken.None);
        await log.CompleteAsync(CancellationToken.None);

        Assert.Equal(
            "2026-12-01T09:00:00.123Z [stderr] err first\n2026-12-01T09:00:00.123Z [stdout] out second\n",
            await environment.ReadLogAsync(blob));
    }
}
