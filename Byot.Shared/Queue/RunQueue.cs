using Azure.Storage.Queues;
using Byot.Shared.Options;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Queue;

/// <summary>The <c>byot-runs</c> queue and its poison queue.</summary>
public sealed class RunQueue(QueueServiceClient queues, IOptions<StorageOptions> options)
{
    private QueueClient Runs => queues.GetQueueClient(options.Value.RunsQueue);

    private QueueClient Poison => queues.GetQueueClient(options.Value.PoisonQueue);

    /// <summary>Sends a run; <paramref name="visibleIn"/> delays delivery so a scheduled run appears at its second.</summary>
    public async Task EnqueueAsync(Guid runId, TimeSpan visibleIn, CancellationToken cancellationToken)
    {
        // The service counts visibility in whole seconds and drops the fraction: round up, or a run could start
        // up to a second before its slot.
        var delay = visibleIn > TimeSpan.Zero ? TimeSpan.FromSeconds(Math.Ceiling(visibleIn.TotalSeconds)) : (TimeSpan?)null;
        await Runs.SendMessageAsync(new RunMessage(runId).ToJson(), visibilityTimeout: delay, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: cancellationToken);
    }

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
