using Byot.Shared.Artifacts;
using Byot.Shared.Domain;
using Byot.Shared.Queue;
using Byot.Shared.Storage;
using Microsoft.Extensions.Logging;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Runs;

/// <summary>Starts runs on demand and reads them back.</summary>
public sealed partial class RunService(
    RunStore runs,
    RunQueries queries,
    TestStore tests,
    RunQueue queue,
    LogStore logs,
    TimeProvider time,
    ILogger<RunService> logger)
{
    public const int MaxPageSize = 200;

    /// <summary>A test's runs, newest first, <paramref name="limit"/> at a time; pass the previous page's
    /// <see cref="RunPage.Next"/> as <paramref name="cursor"/> for the next.</summary>
    public async Task<RunPage> HistoryAsync(string? testIdRaw, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var testId = Ids.Parse("test", testIdRaw);
        if (limit is < 1 or > MaxPageSize)
        {
            throw P.InvalidField("limit", $"'limit' must be from 1 to {MaxPageSize}.");
        }

        var before = cursor is null ? ((DateTimeOffset, Guid)?)null : RunCursor.Parse(cursor);
        if (await tests.FindAsync(testId, cancellationToken) is null && before is null
            && (await queries.HistoryAsync(testId, null, 1, cancellationToken)).Count == 0)
        {
            throw P.NotFound("test", testId);
        }

        var page = await queries.HistoryAsync(testId, before, limit + 1, cancellationToken);
        var next = page.Count > limit ? RunCursor.Format(page[limit - 1].QueuedAt, page[limit - 1].Id) : null;
        return new RunPage([.. page.Take(limit).Select(RunView.From)], next);
    }

    public async Task<TestStats> StatsAsync(string? testIdRaw, CancellationToken cancellationToken)
    {
        var testId = Ids.Parse("test", testIdRaw);
        _ = await tests.FindAsync(testId, cancellationToken) ?? throw P.NotFound("test", testId);
        var (uptime, p50, p95, counts, flips) = await queries.StatsAsync(testId, time.GetUtcNow(), cancellationToken);
        return new TestStats(testId, uptime, p50, p95, counts, flips);
    }

    /// <summary>Queues a manual run of the test's current artifact: the row first, then the message.</summary>
    public async Task<TestRun> RunNowAsync(string? testIdRaw, CancellationToken cancellationToken)
    {
        var testId = Ids.Parse("test", testIdRaw);
        var run = await runs.CreateManualAsync(Guid.NewGuid(), testId, cancellationToken)
            ?? throw P.NotFound("test", testId);
        try
        {
            await queue.EnqueueAsync(run.Id, TimeSpan.Zero, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Close the row so no half-queued run is left behind; the caller may simply retry.
            await runs.FailUnstartedAsync(run.Id, RunStatus.InfraError, "The run could not be put on the queue: " + e.Message, CancellationToken.None);
            LogEnqueueFailed(e, run.Id);
            throw new Problems.ProblemException(503, "queue-unavailable", "Queue unavailable",
                "The run could not be queued because the storage queue did not answer. Check GET /health and try again.");
        }

        await runs.MarkEnqueuedAsync(run.Id, cancellationToken);
        return run;
    }

    public async Task<TestRun> GetAsync(string? runIdRaw, CancellationToken cancellationToken)
    {
        var runId = Ids.Parse("run", runIdRaw);
        return await runs.FindAsync(runId, cancellationToken) ?? throw P.NotFound("run", runId);
    }

    /// <summary>The run and its log from <paramref name="offset"/>; an empty stream when nothing was written yet.</summary>
    public async Task<(TestRun Run, Stream Log)> OpenLogAsync(string? runIdRaw, long offset, CancellationToken cancellationToken)
    {
        var run = await GetAsync(runIdRaw, cancellationToken);
        var log = run.LogBlobName is null ? null : await logs.OpenReadAsync(run.LogBlobName, offset, cancellationToken);
        return (run, log ?? Stream.Null);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} could not be enqueued")]
    private partial void LogEnqueueFailed(Exception exception, Guid runId);
}
