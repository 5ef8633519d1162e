using Azure.Storage.Blobs;
using Byot.Shared.Options;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Artifacts;

public sealed class BlobObjectContainers(BlobServiceClient blobs, IOptions<StorageOptions> options) : ObjectContainers
{
    public override async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        await blobs.GetBlobContainerClient(o.ArtifactsContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await blobs.GetBlobContainerClient(o.LogsContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    public override async Task ProbeAsync(CancellationToken cancellationToken) =>
        await blobs.GetBlobContainerClient(options.Value.LogsContainer).GetPropertiesAsync(cancellationToken: cancellationToken);
}
