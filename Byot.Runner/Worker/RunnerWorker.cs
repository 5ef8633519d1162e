using Azure;
using Azure.Storage.Queues;
using Byot.Runner.Containers;
using Byot.Runner.Network;
using Byot.Runner.Options;
using Byot.Shared.Queue;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Byot.Runner.Worker;

/// <summary>Receives run messages while it has free slots. Idle, it sleeps until <see cref="RunWakeSignal"/> says a
/// run was queued, polling as a fallback faster when work flows and at most
/// <see cref="RunnerOptions.MaxIdlePollMilliseconds"/> apart otherwise. On stop it receives nothing more and lets
/// in-flight runs finish the try they are in (a run waiting to retry is handed back instead).</summary>
internal sealed partial class RunnerWorker(
    RunQueue queue,
    LocationReceiver receiver,
    QueueServiceClient queues,
    RunStore runs,
    DatabaseRetry retry,
    RunExecutor executor,
    IContainerEngine engine,
    RunWakeSignal wake,
    EgressGate egress,
    RunnerStopping stopping,
    IOptions<RunnerOptions> options,
    ILogger<RunnerWorker> logger) : BackgroundService
{
    private static readonly TimeSpan MinIdlePoll = TimeSpan.FromMilliseconds(50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        await using var stopSignal = stoppingToken.Register(stopping.Stop);
        await EnsureQueuesAsync(stoppingToken);
        await SweepOrphansAsync(o.Id, stoppingToken);
        await HandBackOwnRunsAsync(o.Id, stoppingToken);

        // Prepared (and verified) up front so a runner that cannot filter says so at start; the outcome is logged,
        // and network-enabled runs ask again until it succeeds.
        await egress.RefusalAsync(stoppingToken);

        using var slots = new SemaphoreSlim(o.MaxConcurrentRuns, o.MaxConcurrentRuns);
        var inFlight = new List<Task>();
        var idle = MinIdlePoll;
        var maxIdle = TimeSpan.FromMilliseconds(o.MaxIdlePollMilliseconds);
        var visibility = TimeSpan.FromSeconds(o.VisibilityTimeoutSeconds);
        LogStarted(o.Id, o.MaxConcurrentRuns, o.Location, receiver.Queues.Count);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                var free = 1;
                while (free < o.MaxConcurrentRuns && slots.Wait(0, CancellationToken.None))
                {
                    free++;
                }

                IReadOnlyList<ReceivedRunMessage> messages;
                try
                {
                    messages = await receiver.ReceiveAsync(free, visibility, stoppingToken);
                }
                catch (Exception e) when (StorageFaults.IsFault(e) && !stoppingToken.IsCancellationRequested)
                {
                    // Queue storage unreachable (the SDK reports exhausted retries as an AggregateException): keep polling.
                    slots.Release(free);
                    LogReceiveFailed(e);
                    await Task.Delay(maxIdle, stoppingToken);
                    continue;
                }

                if (messages.Count < free)
                {
                    slots.Release(free - messages.Count);
                }

                if (messages.Count == 0)
                {
                    // Woken, the message may be a moment from visible (the queue counts whole seconds): poll again soon.
                    idle = await wake.WaitAsync(idle, stoppingToken)
                        ? MinIdlePoll
                        : TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, maxIdle.Ticks));
                    continue;
                }

                idle = MinIdlePoll;
                inFlight.RemoveAll(t => t.IsCompleted);
                foreach (var message in messages)
                {
                    // Runs are not tied to stoppingToken: a stopping runner finishes what it started.
                    inFlight.Add(Task.Run(() => ExecuteOneAsync(message, slots), CancellationToken.None));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        LogDraining(inFlight.Count(t => !t.IsCompleted));
        await Task.WhenAll(inFlight);
    }

    private async Task ExecuteOneAsync(ReceivedRunMessage message, SemaphoreSlim slots)
    {
        try
        {
            await executor.ExecuteAsync(message, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The message reappears after its visibility timeout and is retried, up to the poison limit.
            LogRunFailed(e, message.MessageId);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Runs this runner id held when its last process died: queued again now, the database first (a crash
    /// here leaves them to the sweep, which enqueues runs never sent).</summary>
    private async Task HandBackOwnRunsAsync(string runnerId, CancellationToken cancellationToken)
    {
        try
        {
            var ids = await retry.ExecuteAsync(ct => runs.HandBackAsync(runnerId, ct), cancellationToken);
            foreach (var run in ids)
            {
                await queue.EnqueueAsync(new QueuedRun(run.RunId, run.TestId, run.Location, TimeSpan.Zero), cancellationToken);
                await retry.ExecuteAsync(ct => runs.MarkEnqueuedAsync(run.RunId, ct), cancellationToken);
            }

            if (ids.Count > 0)
            {
                LogHandedBack(ids.Count, runnerId);
            }
        }
        catch (Exception e) when (StorageFaults.IsFault(e) || PostgresFaults.IsTransient(e))
        {
            // The lease sweep recovers them later instead.
            LogHandBackFailed(e);
        }
    }

    /// <summary>This location's queues, created when missing: the Functions app creates only the known locations'.</summary>
    private async Task EnsureQueuesAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var name in receiver.Queues)
            {
                await queues.GetQueueClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            }
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or AggregateException)
        {
            // Receiving reports the same failure and keeps trying.
            LogReceiveFailed(e);
        }
    }

    private async Task SweepOrphansAsync(string runnerId, CancellationToken cancellationToken)
    {
        try
        {
            var removed = await engine.RemoveOrphansAsync(runnerId, cancellationToken);
            if (removed > 0)
            {
                LogOrphans(removed, runnerId);
            }
        }
        catch (ContainerEngineException e)
        {
            LogSweepFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Runner {RunnerId} receiving with {Slots} slots from location {Location} ({Queues} queues)")]
    private partial void LogStarted(string runnerId, int slots, string location, int queues);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Receiving from the runs queue failed; retrying")]
    private partial void LogReceiveFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling message {MessageId} failed; it will be delivered again")]
    private partial void LogRunFailed(Exception exception, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} containers and volumes left behind by runner {RunnerId}")]
    private partial void LogOrphans(int count, string runnerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handed back {Count} runs runner {RunnerId} held when it last stopped")]
    private partial void LogHandedBack(int count, string runnerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handing back this runner's earlier runs failed; the lease sweep recovers them")]
    private partial void LogHandBackFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Orphan sweep failed; it runs again at the next start")]
    private partial void LogSweepFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: waiting for {Count} in-flight runs")]
    private partial void LogDraining(int count);
}
