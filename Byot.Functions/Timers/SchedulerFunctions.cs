using Byot.Shared.Scheduling;
using Microsoft.Azure.Functions.Worker;

namespace Byot.Functions.Timers;

/// <summary>The scheduler's clock. Ticks look one period ahead and enqueue runs hidden until their second, so a
/// run starts about a second late at most, not a tick late. Any number of instances may tick at once.</summary>
public sealed class SchedulerFunctions(SchedulerService scheduler, RunSweeper sweeper, TimeProvider time)
{
    public const string TickSchedule = "*/10 * * * * *";
    public const string SweepSchedule = "*/30 * * * * *";

    [Function("ScheduleTick")]
    public async Task Tick([TimerTrigger(TickSchedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        await scheduler.TickAsync(time.GetUtcNow(), cancellationToken);

    [Function("SweepRuns")]
    public async Task Sweep([TimerTrigger(SweepSchedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        await sweeper.SweepAsync(cancellationToken);
}
