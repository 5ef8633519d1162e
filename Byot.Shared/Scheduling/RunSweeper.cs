using Byot.Shared.Completion;
using Byot.Shared.Options;
using Byot.Shared.Queue;
using Byot.Shared.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Scheduling;

/// <summary>Closes the gaps a crash can leave: runs committed but never enqueued are enqueued, and runs whose
/// runner vanished are re-queued (or closed as infra_error after bounded attempts). No slot is lost; a duplicate
/// message is harmless because claiming a run is conditional.</summary>
public sealed partial class RunSweeper(RunStore runs, RunCompletion completion, RunQueue queue, IOptions<SchedulingOptions> options, TimeProvider time, ILogger<RunSweeper> logger)
{
    private const int Batch = 1_000;

    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var grace = TimeSpan.FromSeconds(o.EnqueueGraceSeconds);

        var (requeued, closed) = await completion.RecoverExpiredLeasesAsync(grace, o.MaxAttempts, cancellationToken);
        var pending = await runs.FindNotEnqueuedAsync(TimeSpan.Zero, Batch, cancellationToken);
        var stale = pending.Where(p => requeued.Contains(p.RunId)).ToList();
        stale.AddRange(await runs.FindNotEnqueuedAsync(grace, Batch, cancellationToken));

        // Each run goes to its location's shard as the shard count is now (a run never remembers a queue).
        var sent = new List<Guid>();
        foreach (var run in stale.DistinctBy(s => s.RunId))
        {
            var delay = run.ScheduledFor is { } at ? at - time.GetUtcNow() - TimeSpan.FromSeconds(o.EarlyDeliverySeconds) : TimeSpan.Zero;
            await queue.EnqueueAsync(new QueuedRun(run.RunId, run.TestId, run.Location, delay), cancellationToken);
            sent.Add(run.RunId);
        }

        await runs.MarkEnqueuedAsync(sent, cancellationToken);
        if (sent.Count > 0 || closed > 0)
        {
            LogSwept(sent.Count, requeued.Count, closed);
        }

        return new SweepResult(sent.Count - requeued.Count, requeued.Count, closed);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep: enqueued {Enqueued} runs ({Requeued} after a lost lease), closed {Closed} as infra_error")]
    private partial void LogSwept(int enqueued, int requeued, int closed);
}
