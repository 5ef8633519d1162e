using Byot.Shared.Domain;
using Byot.Shared.Maintenance;
using Byot.Shared.Options;
using Byot.Shared.Queue;
using Byot.Shared.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Scheduling;

/// <summary>Turns due schedule slots into runs, exactly once per slot however many instances tick at once: due
/// schedules are locked with SKIP LOCKED, slot runs are unique per (test, slot), next_run_at advances in the same
/// transaction, and only after the commit are runs put on the queue, hidden until their scheduled second.</summary>
public sealed partial class SchedulerService(
    ScheduleStore schedules,
    UnitOfWorkFactory units,
    RunStore runs,
    RunQueue queue,
    MaintenanceStore maintenance,
    TagStore tags,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<SchedulerService> logger)
{
    // Bounds the slots one tick plans per schedule; a longer backlog continues at the next tick.
    private const int MaxSlotsPerSchedule = 1_000;
    private const int EnqueueConcurrency = 32;

    public async Task<TickResult> TickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var horizon = now.AddSeconds(o.LookAheadSeconds);
        var catchUpFrom = now.AddSeconds(-o.CatchUpWindowSeconds);
        int claimed = 0, queued = 0, skipped = 0, enqueued = 0;

        // The sends of one batch overlap the claim of the next: they touch different services (the queue, Postgres),
        // and a claim never depends on an earlier batch's sends. At most one batch is in flight.
        Task<int> sending = Task.FromResult(0);
        try
        {
            while (true)
            {
                var created = await ClaimBatchAsync(horizon, catchUpFrom, now.AddSeconds(-(o.LookAheadSeconds + o.EarlyDeliverySeconds)), o.BatchSize, cancellationToken);
                enqueued += await sending;
                sending = Task.FromResult(0);
                if (created is null)
                {
                    break;
                }

                claimed += created.Value.Claimed;
                var toQueue = created.Value.Runs.Where(r => r.Status == RunStatus.Queued).ToList();
                queued += toQueue.Count;
                skipped += created.Value.Runs.Count - toQueue.Count;
                sending = EnqueueAsync(toQueue, cancellationToken);
                if (created.Value.Claimed < o.BatchSize)
                {
                    break;
                }
            }
        }
        finally
        {
            // A claim that failed must not leave its predecessor's sends unobserved; their runs stay for the sweep.
            enqueued += await sending;
        }

        if (claimed > 0)
        {
            LogTick(claimed, queued, skipped);
        }

        return new TickResult(claimed, queued, skipped, enqueued);
    }

    private async Task<(int Claimed, List<SlotRun> Runs)?> ClaimBatchAsync(DateTimeOffset horizon, DateTimeOffset catchUpFrom, DateTimeOffset overdue, int batchSize, CancellationToken cancellationToken)
    {
        await using var unit = await units.BeginAsync(cancellationToken);
        var due = await schedules.ClaimDueAsync(unit, horizon, batchSize, cancellationToken);
        if (due.Count == 0)
        {
            return null;
        }

        var slots = new List<PlannedSlot>();
        var advances = new List<(Guid, DateTimeOffset)>();
        var pausing = (await maintenance.ListAsync(cancellationToken)).Where(w => w.Mode == MaintenanceWindow.Pause).ToList();
        var tagged = pausing.Count == 0 ? [] : await tags.ForTestsAsync([.. due.Select(d => d.TestId)], cancellationToken);
        foreach (var schedule in due)
        {
            Schedule parsed;
            try
            {
                parsed = ScheduleParser.Parse(schedule.Expression, schedule.TimeZone, minIntervalSeconds: 1, time.GetUtcNow());
            }
            catch (Problems.InvalidScheduleException e)
            {
                // Stored schedules were valid when written; one that no longer parses (a time zone gone from the
                // host, say) must not stop every other test from running.
                LogUnparsable(schedule.TestId, e.Message);
                advances.Add((schedule.TestId, horizon.AddHours(1)));
                continue;
            }

            var at = schedule.NextRunAt;
            for (var i = 0; at < horizon && i < MaxSlotsPerSchedule; i++)
            {
                var pausedBy = pausing.Count == 0 ? null
                    : MaintenancePolicy.InForce(pausing, MaintenanceWindow.Pause, schedule.TestId, tagged.GetValueOrDefault(schedule.TestId) ?? [], at)?.Name;

                // One run per location the test runs from: each is judged, queued and skipped on its own.
                foreach (var location in schedule.Locations)
                {
                    slots.Add(new PlannedSlot(schedule.TestId, at, schedule.ArtifactVersion, Missed: at < catchUpFrom, pausedBy, location));
                }

                at = parsed.NextAfter(at);
            }

            advances.Add((schedule.TestId, at));
        }

        var created = slots.Count == 0 ? [] : await schedules.InsertSlotsAsync(unit, slots, overdue, cancellationToken);
        await schedules.AdvanceAsync(unit, advances, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return (due.Count, created);
    }

    /// <summary>Sends each run hidden until its slot; a send that fails leaves the run for the sweep.</summary>
    private async Task<int> EnqueueAsync(List<SlotRun> toQueue, CancellationToken cancellationToken)
    {
        if (toQueue.Count == 0)
        {
            return 0;
        }

        var early = TimeSpan.FromSeconds(options.Value.EarlyDeliverySeconds);
        var now = time.GetUtcNow();
        var sent = await queue.EnqueueManyAsync(
            [.. toQueue.Select(r => new QueuedRun(r.RunId, r.TestId, r.Location, r.ScheduledFor - now - early))],
            EnqueueConcurrency,
            (runId, e) => LogEnqueueFailed(e, runId),
            cancellationToken);
        await runs.MarkEnqueuedAsync(sent, cancellationToken);
        return sent.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tick: {Claimed} schedules due, {Queued} runs queued, {Skipped} skipped")]
    private partial void LogTick(int claimed, int queued, int skipped);

    [LoggerMessage(Level = LogLevel.Error, Message = "Schedule of test {TestId} no longer parses ({Reason}); retrying in an hour")]
    private partial void LogUnparsable(Guid testId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} could not be enqueued; the sweep will retry")]
    private partial void LogEnqueueFailed(Exception exception, Guid runId);
}
