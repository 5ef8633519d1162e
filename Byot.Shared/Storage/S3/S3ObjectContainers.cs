using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Byot.Shared.Artifacts;
using Byot.Shared.Options;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Storage.S3;

/// <summary>The artifacts and logs buckets: created when missing (a bucket someone else owns is an error that names it).</summary>
public sealed class S3ObjectContainers(S3Clients clients, IOptions<StorageOptions> options) : ObjectContainers
{
    public override async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        foreach (var bucket in new[] { o.ArtifactsContainer, o.LogsContainer })
        {
            try
            {
                await clients.Server.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "BucketAlreadyOwnedByYou" || (e.StatusCode == HttpStatusCode.Conflict && e.ErrorCode != "BucketAlreadyExists"))
            {
                // Ours already.
            }
        }
    }

    /// <summary>A one-key listing: it needs only read access, which BYOT has anyway.</summary>
    public override async Task ProbeAsync(CancellationToken cancellationToken) =>
        await clients.Server.ListObjectsV2Async(new ListObjectsV2Request { BucketName = options.Value.LogsContainer, MaxKeys = 1 }, cancellationToken);
}
