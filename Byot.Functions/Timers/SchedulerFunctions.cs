using Byot.Shared.Runs;
using Byot.Shared.Scheduling;
using Microsoft.Azure.Functions.Worker;

namespace Byot.Functions.Timers;

/// <summary>The scheduler's clock. Ticks look one period ahead and enqueue runs hidden until their second, so a
/// run starts about a second late at most, not a tick late. Any number of instances may tick at once. The sweep also
/// applies run retention, a bounded batch each time (docs/scale.md).</summary>
public sealed class SchedulerFunctions(SchedulerService scheduler, RunSweeper sweeper, RunRetention retention, TimeProvider time)
{
    public const string TickSchedule = "*/10 * * * * *";
    public const string SweepSchedule = "*/30 * * * * *";

    [Function("ScheduleTick")]
    public async Task Tick([TimerTrigger(TickSchedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        await scheduler.TickAsync(time.GetUtcNow(), cancellationToken);

    [Function("SweepRuns")]
    public async Task Sweep([TimerTrigger(SweepSchedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        // Recovering runs comes first: retention failing (storage away) must not hold it up.
        await sweeper.SweepAsync(cancellationToken);
        await retention.ApplyAsync(cancellationToken);
    }
}
