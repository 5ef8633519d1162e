
namespace Byot.Tests.Locations;

/// <summary>The shard and location queues a test made next to its environment's plain runs queue, removed after it.</summary>
internal static class LocationQueues
{
    public static async Task DeleteAsync(ByotEnvironment environment)
    {
        await foreach (var queue in environment.Queues.GetQueuesAsync(prefix: environment.RunsQueue + "-"))
        {
            await environment.Queues.GetQueueClient(queue.Name).DeleteIfExistsAsync();
        }
    }

    public static async Task<List<Guid>> VisibleRunIdsAsync(ByotEnvironment environment, string queue)
    {
        var peeked = await environment.Queues.GetQueueClient(queue).PeekMessagesAsync(32);
        return [.. peeked.Value.SelectMany(m => Byot.Shared.Queue.RunBatchMessage.RunIdsOf(m.Body.ToString()))];
    }
}
