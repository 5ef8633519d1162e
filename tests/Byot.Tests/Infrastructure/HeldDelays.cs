namespace Byot.Tests.Infrastructure;

/// <summary>A <see cref="TimeProvider"/> for the Runner that records every one-shot wait of a second or more (the
/// waits between a test's tries) and, instead of sleeping, fires it at once, or holds it until
/// <see cref="Release"/> when <see cref="Hold"/> is set. Periodic timers and short waits keep real time.</summary>
internal sealed class HeldDelays : TimeProvider
{
    private readonly Lock gate = new();
    private readonly List<TimeSpan> waits = [];
    private readonly List<ITimer> held = [];
    private readonly TaskCompletionSource firstWait = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Hold { get; init; }

    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (gate)
            {
                return [.. waits];
            }
        }
    }

    /// <summary>Completes when the first recorded wait begins.</summary>
    public Task Waiting => firstWait.Task;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (period != Timeout.InfiniteTimeSpan || dueTime < TimeSpan.FromSeconds(1))
        {
            return base.CreateTimer(callback, state, dueTime, period);
        }

        lock (gate)
        {
            waits.Add(dueTime);
            var timer = base.CreateTimer(callback, state, Hold ? Timeout.InfiniteTimeSpan : TimeSpan.Zero, period);
            if (Hold)
            {
                held.Add(timer);
            }

            firstWait.TrySetResult();
            return timer;
        }
    }

    /// <summary>Fires every held wait now.</summary>
    public void Release()
    {
        lock (gate)
        {
            foreach (var timer in held)
            {
                timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            }

            held.Clear();
        }
    }
}
