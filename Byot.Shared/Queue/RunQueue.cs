using Azure.Storage.Queues;
using Byot.Shared.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Queue;

/// <summary>The <c>byot-runs</c> queue and its poison queue.</summary>
public sealed partial class RunQueue(QueueServiceClient queues, RunSignals signals, IOptions<StorageOptions> options, TimeProvider time, ILogger<RunQueue> logger)
{
    // A wake-up is a hint: when Postgres is slow or away, the enqueue goes on and runners find the run at their next poll.
    private static readonly TimeSpan SignalTimeout = TimeSpan.FromSeconds(2);

    private QueueClient Runs => queues.GetQueueClient(options.Value.RunsQueue);

    private QueueClient Poison => queues.GetQueueClient(options.Value.PoisonQueue);

    /// <summary>Sends a run, then wakes runners (see <see cref="RunSignals"/>); <paramref name="visibleIn"/> delays
    /// delivery so a scheduled run appears at its second, and the wake-up tells runners that moment.</summary>
    public async Task EnqueueAsync(Guid runId, TimeSpan visibleIn, CancellationToken cancellationToken)
    {
        // The service counts visibility in whole seconds and drops the fraction: round up, or a run could start
        // up to a second before its slot.
        var delay = visibleIn > TimeSpan.Zero ? TimeSpan.FromSeconds(Math.Ceiling(visibleIn.TotalSeconds)) : (TimeSpan?)null;
        var sentAt = time.GetUtcNow();
        await Runs.SendMessageAsync(new RunMessage(runId).ToJson(), visibilityTimeout: delay, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: cancellationToken);
        await WakeRunnersAsync(new RunWakeUp(options.Value.RunsQueue, sentAt + (delay ?? TimeSpan.Zero)), cancellationToken);
    }

    private async Task WakeRunnersAsync(RunWakeUp wakeUp, CancellationToken cancellationToken)
    {
        if (await signals.TryNotifyAsync(wakeUp, SignalTimeout, cancellationToken) is { } failure)
        {
            LogWakeUpFailed(failure);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not wake runners through Postgres; they find the run at their next poll")]
    private partial void LogWakeUpFailed(Exception exception);

    public async Task<IReadOnlyList<ReceivedRunMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var response = await Runs.ReceiveMessagesAsync(Math.Clamp(maxMessages, 1, 32), visibilityTimeout, cancellationToken);
        return [.. response.Value.Select(m =>
        {
            var body = m.Body.ToString();
            return new ReceivedRunMessage(m.MessageId, m.PopReceipt, m.DequeueCount, body, RunMessage.TryParse(body));
        })];
    }

    /// <summary>Keeps a message hidden while its run goes on; returns the new pop receipt.</summary>
    public async Task<string> ExtendAsync(ReceivedRunMessage message, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var response = await Runs.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: visibilityTimeout, cancellationToken: cancellationToken);
        return response.Value.PopReceipt;
    }

    public async Task DeleteAsync(string messageId, string popReceipt, CancellationToken cancellationToken) =>
        await Runs.DeleteMessageAsync(messageId, popReceipt, cancellationToken);

    public async Task MoveToPoisonAsync(ReceivedRunMessage message, string popReceipt, CancellationToken cancellationToken)
    {
        await Poison.SendMessageAsync(message.Body, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: cancellationToken);
        await Runs.DeleteMessageAsync(message.MessageId, popReceipt, cancellationToken);
    }

    public async Task<int> ApproximateCountAsync(CancellationToken cancellationToken) =>
        (await Runs.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
}
