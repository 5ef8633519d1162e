using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Byot.Shared.Options;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Artifacts;

/// <summary>Creates BYOT's containers and queues when they are missing.</summary>
public sealed class StorageProvisioner(BlobServiceClient blobs, QueueServiceClient queues, Queue.RunQueue runQueue, IOptions<StorageOptions> options)
{
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        await blobs.GetBlobContainerClient(o.ArtifactsContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await blobs.GetBlobContainerClient(o.LogsContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await queues.GetQueueClient(o.RunsQueue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        foreach (var queue in runQueue.AllQueues())
        {
            await queues.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        await queues.GetQueueClient(o.PoisonQueue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }
}
