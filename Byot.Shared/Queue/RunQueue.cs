using Azure.Storage.Queues;
using Byot.Shared.Locations;
using Byot.Shared.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Queue;

/// <summary>The runs queues (one set of shards per location, see <see cref="QueueShards"/>) and the poison queue.</summary>
public sealed partial class RunQueue(
    QueueServiceClient queues,
    RunSignals signals,
    IOptions<StorageOptions> options,
    IOptions<LocationOptions> locations,
    TimeProvider time,
    ILogger<RunQueue> logger)
{
    // A wake-up is a hint: when Postgres is slow or away, the enqueue goes on and runners find the run at their next poll.
    private static readonly TimeSpan SignalTimeout = TimeSpan.FromSeconds(2);

    private QueueClient Poison => queues.GetQueueClient(options.Value.PoisonQueue);

    /// <summary>The queue a run of <paramref name="testId"/> in <paramref name="location"/> is sent to now.</summary>
    public string QueueFor(Guid testId, string location) =>
        QueueShards.QueueFor(options.Value.RunsQueue, location, testId, locations.Value.QueueShards);

    /// <summary>Every queue senders use now, for every known location (provisioning, health).</summary>
    public IReadOnlyList<string> AllQueues() =>
        [.. locations.Value.All.SelectMany(l => ReceiveQueues(l))];

    /// <summary>The queues a Runner of <paramref name="location"/> receives from, draining shards included.</summary>
    public IReadOnlyList<string> ReceiveQueues(string location) =>
        QueueShards.ReceiveQueues(options.Value.RunsQueue, location, locations.Value.QueueShards, locations.Value.DrainQueueShards);

    /// <summary>Sends a run to its location's shard, then wakes runners (see <see cref="RunSignals"/>).</summary>
    public async Task EnqueueAsync(QueuedRun run, CancellationToken cancellationToken)
    {
        var wakeUp = await SendAsync(run, cancellationToken);
        await WakeRunnersAsync([wakeUp], cancellationToken);
    }

    /// <summary>Sends many runs, grouped per queue and visible second into messages of at most
    /// <see cref="RunBatchMessage.MaxRuns"/> runs (a group of one is a plain run message), at most
    /// <paramref name="concurrency"/> messages at a time, then wakes runners once per queue and visible second in one
    /// round trip. Returns the runs sent; a message that fails is reported to <paramref name="onFailed"/> per run and
    /// its runs left out (the sweep sends them later, one message each).</summary>
    public async Task<IReadOnlyList<Guid>> EnqueueManyAsync(IReadOnlyList<QueuedRun> runs, int concurrency, Action<Guid, Exception> onFailed, CancellationToken cancellationToken)
    {
        var messages = runs
            .GroupBy(r => (Queue: QueueFor(r.TestId, r.Location), Delay: VisibilityDelay(r.VisibleIn)))
            .SelectMany(g => g.Chunk(RunBatchMessage.MaxRuns).Select(chunk => (g.Key.Queue, g.Key.Delay, Runs: chunk)))
            .ToList();
        var sent = new System.Collections.Concurrent.ConcurrentBag<(Guid[] RunIds, RunWakeUp WakeUp)>();
        await Parallel.ForEachAsync(
            messages,
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (message, ct) =>
            {
                Guid[] ids = [.. message.Runs.Select(r => r.RunId)];
                var body = ids.Length == 1 ? new RunMessage(ids[0]).ToJson() : new RunBatchMessage(ids).ToJson();
                try
                {
                    sent.Add((ids, await SendAsync(message.Queue, body, message.Delay, ct)));
                }
                catch (Azure.RequestFailedException e)
                {
                    foreach (var id in ids)
                    {
                        onFailed(id, e);
                    }
                }
            });

        // One wake-up per queue and second, at the earliest moment in it: the runner then receives the rest as they show.
        await WakeRunnersAsync(
            [.. sent.Select(s => s.WakeUp)
                .GroupBy(w => (w.Queue, Second: w.VisibleAt.UtcTicks / TimeSpan.TicksPerSecond))
                .Select(g => g.MinBy(w => w.VisibleAt)!)],
            cancellationToken);
        return [.. sent.SelectMany(s => s.RunIds)];
    }

    /// <summary>Turns a received batch into one visible run message per run on the same queue, wakes that queue's
    /// runners, then deletes the batch. A send that fails throws before the delete: the batch reappears after its
    /// visibility timeout and is expanded again, and the runs already sent become duplicates the claim drops.</summary>
    public async Task ExpandAsync(ReceivedRunMessage message, RunBatchMessage batch, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(
            batch.RunIds,
            new ParallelOptions { MaxDegreeOfParallelism = RunBatchMessage.MaxRuns, CancellationToken = cancellationToken },
            async (runId, ct) => await SendAsync(message.Queue, new RunMessage(runId).ToJson(), null, ct));
        await WakeRunnersAsync([new RunWakeUp(message.Queue, time.GetUtcNow())], cancellationToken);
        await DeleteAsync(message, message.PopReceipt, cancellationToken);
    }

    private Task<RunWakeUp> SendAsync(QueuedRun run, CancellationToken cancellationToken) =>
        SendAsync(QueueFor(run.TestId, run.Location), new RunMessage(run.RunId).ToJson(), VisibilityDelay(run.VisibleIn), cancellationToken);

    private async Task<RunWakeUp> SendAsync(string queue, string body, TimeSpan? delay, CancellationToken cancellationToken)
    {
        var sentAt = time.GetUtcNow();
        await queues.GetQueueClient(queue).SendMessageAsync(body, visibilityTimeout: delay, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: cancellationToken);
        return new RunWakeUp(queue, sentAt + (delay ?? TimeSpan.Zero));
    }

    // The service counts visibility in whole seconds and drops the fraction: round up, or a run could start up to a
    // second before its slot.
    private static TimeSpan? VisibilityDelay(TimeSpan visibleIn) =>
        visibleIn > TimeSpan.Zero ? TimeSpan.FromSeconds(Math.Ceiling(visibleIn.TotalSeconds)) : null;

    private async Task WakeRunnersAsync(IReadOnlyList<RunWakeUp> wakeUps, CancellationToken cancellationToken)
    {
        if (await signals.TryNotifyAsync(wakeUps, SignalTimeout, cancellationToken) is { } failure)
        {
            LogWakeUpFailed(failure);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not wake runners through Postgres; they find the run at their next poll")]
    private partial void LogWakeUpFailed(Exception exception);

    public async Task<IReadOnlyList<ReceivedRunMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var response = await queues.GetQueueClient(queue).ReceiveMessagesAsync(Math.Clamp(maxMessages, 1, 32), visibilityTimeout, cancellationToken);
        return [.. response.Value.Select(m =>
        {
            var body = m.Body.ToString();
            var single = RunMessage.TryParse(body);
            return new ReceivedRunMessage(queue, m.MessageId, m.PopReceipt, m.DequeueCount, body, single, single is null ? RunBatchMessage.TryParse(body) : null);
        })];
    }

    /// <summary>Keeps a message hidden while its run goes on; returns the new pop receipt.</summary>
    public async Task<string> ExtendAsync(ReceivedRunMessage message, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var response = await queues.GetQueueClient(message.Queue).UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: visibilityTimeout, cancellationToken: cancellationToken);
        return response.Value.PopReceipt;
    }

    public async Task DeleteAsync(ReceivedRunMessage message, string popReceipt, CancellationToken cancellationToken) =>
        await queues.GetQueueClient(message.Queue).DeleteMessageAsync(message.MessageId, popReceipt, cancellationToken);

    public async Task MoveToPoisonAsync(ReceivedRunMessage message, string popReceipt, CancellationToken cancellationToken)
    {
        await Poison.SendMessageAsync(message.Body, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: cancellationToken);
        await DeleteAsync(message, popReceipt, cancellationToken);
    }

    public async Task<int> ApproximateCountAsync(string queue, CancellationToken cancellationToken) =>
        (await queues.GetQueueClient(queue).GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
}
