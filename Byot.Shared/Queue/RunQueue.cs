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

    /// <summary>Sends many runs, at most <paramref name="concurrency"/> at a time, then wakes runners once per queue
    /// and visible second in one round trip. Returns the runs sent; a send that fails is reported to
    /// <paramref name="onFailed"/> and left out (the sweep sends it later).</summary>
    public async Task<IReadOnlyList<Guid>> EnqueueManyAsync(IReadOnlyList<QueuedRun> runs, int concurrency, Action<Guid, Exception> onFailed, CancellationToken cancellationToken)
    {
        var sent = new System.Collections.Concurrent.ConcurrentBag<(Guid RunId, RunWakeUp WakeUp)>();
        await Parallel.ForEachAsync(
            runs,
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (run, ct) =>
            {
                try
                {
                    sent.Add((run.RunId, await SendAsync(run, ct)));
                }
                catch (Azure.RequestFailedException e)
                {
                    onFailed(run.RunId, e);
                }
            });

        // One wake-up per queue and second, at the earliest moment in it: the runner then receives the rest as they show.
        await WakeRunnersAsync(
            [.. sent.Select(s => s.WakeUp)
                .GroupBy(w => (w.Queue, Second: w.VisibleAt.UtcTicks / TimeSpan.TicksPerSecond))
                .Select(g => g.MinBy(w => w.VisibleAt)!)],
            cancellationToken);
        return [.. sent.Select(s => s.RunId)];
    }

    private async Task<RunWakeUp> SendAsync(QueuedRun run, CancellationToken cancellationToken)
    {
        // The service counts visibility in whole seconds and drops the fraction: round up, or a run could start
        // up to a second before its slot.
        var delay = run.VisibleIn > TimeSpan.Zero ? TimeSpan.FromSeconds(Math.Ceiling(run.VisibleIn.TotalSeconds)) : (TimeSpan?)null;
        var sentAt = time.GetUtcNow();
        var queue = QueueFor(run.TestId, run.Location);
        await queues.GetQueueClient(queue).SendMessageAsync(new RunMessage(run.RunId).ToJson(), visibilityTimeout: delay, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: cancellationToken);
        return new RunWakeUp(queue, sentAt + (delay ?? TimeSpan.Zero));
    }

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
            return new ReceivedRunMessage(queue, m.MessageId, m.PopReceipt, m.DequeueCount, body, RunMessage.TryParse(body));
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
