using Byot.Shared.Artifacts;
using Byot.Shared.Domain;
using Byot.Shared.Queue;
using Byot.Shared.Storage;
using Microsoft.Extensions.Logging;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Runs;

/// <summary>Starts runs on demand and reads them back.</summary>
public sealed partial class RunService(RunStore runs, RunQueue queue, LogStore logs, ILogger<RunService> logger)
{
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
