using Azure.Storage.Queues;
using Byot.Shared.Options;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Artifacts;

/// <summary>Creates BYOT's containers (or buckets) and queues when they are missing.</summary>
public sealed class StorageProvisioner(ObjectContainers containers, QueueServiceClient queues, Queue.RunQueue runQueue, IOptions<StorageOptions> options)
{
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        await containers.EnsureAsync(cancellationToken);
        await queues.GetQueueClient(o.RunsQueue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        foreach (var queue in runQueue.AllQueues())
        {
            await queues.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        await queues.GetQueueClient(o.PoisonQueue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }
}
