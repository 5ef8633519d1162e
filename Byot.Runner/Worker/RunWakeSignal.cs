namespace Byot.Runner.Worker;

/// <summary>Lets the idle receive loop sleep until a run is signalled: at once for a run that is visible now, at its
/// visible-at moment for one delivered later (a scheduled run), or after the idle poll, whichever comes first.</summary>
internal sealed class RunWakeSignal(TimeProvider time)
{
    // Past this many future wake-ups the rest are left to the poll; a burst of scheduled runs cannot grow memory.
    private const int MaxPending = 4_096;

    private readonly Lock gate = new();
    private readonly SortedSet<DateTimeOffset> pending = [];
    private bool due;
    private TaskCompletionSource changed = NewChange();

    public void Wake(DateTimeOffset visibleAt)
    {
        lock (gate)
        {
            if (visibleAt <= time.GetUtcNow())
            {
                due = true;
            }
            else if (pending.Count < MaxPending)
            {
                pending.Add(visibleAt);
            }

            changed.TrySetResult();
            changed = NewChange();
        }
    }

    /// <summary>Returns true when woken by a signal, false when <paramref name="idle"/> passed without one.</summary>
    public async Task<bool> WaitAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + idle;
        while (true)
        {
            Task change;
            TimeSpan sleep;
            lock (gate)
            {
                var now = time.GetUtcNow();
                while (pending.Count > 0 && pending.Min <= now)
                {
                    pending.Remove(pending.Min);
                    due = true;
                }

                if (due)
                {
                    due = false;
                    return true;
                }

                if (now >= until)
                {
                    return false;
                }

                sleep = (pending.Count > 0 && pending.Min < until ? pending.Min : until) - now;
                change = changed.Task;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(change, Task.Delay(sleep, time, stop.Token));
            await stop.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static TaskCompletionSource NewChange() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
