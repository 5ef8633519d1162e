using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Byot.Shared.Artifacts;
using Byot.Shared.Options;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Storage.S3;

/// <summary>Artifacts in an S3 bucket: one PutObject when the artifact fits one part, otherwise a multipart upload
/// (parts in parallel, nothing visible until it completes, aborted when the upload is refused or fails).</summary>
public sealed class S3ArtifactStore(S3Clients clients, IOptions<StorageOptions> options) : ArtifactStore
{
    private string Bucket => options.Value.ArtifactsContainer;

    /// <summary>S3 wants at least 5 MiB per part but the last; 8 MiB keeps 4 GiB within 512 parts.</summary>
    protected override int PartBytes => 8 * 1024 * 1024;

    protected override int PartsInFlight => 3;

    protected override ArtifactUpload Begin(string blobName) => new MultipartUpload(clients.Server, Bucket, blobName);

    public override async Task DeleteAsync(string blobName, CancellationToken cancellationToken) =>
        await S3Objects.DeleteAsync(clients.Server, Bucket, blobName, cancellationToken);

    public override async Task DownloadToFileAsync(string blobName, string path, CancellationToken cancellationToken)
    {
        await using var source = await OpenReadAsync(blobName, cancellationToken);
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
        await source.CopyToAsync(file, 1 << 20, cancellationToken);
    }

    public override async Task<Stream> OpenReadAsync(string blobName, CancellationToken cancellationToken) =>
        await S3Objects.OpenReadAsync(clients.Server, Bucket, blobName, cancellationToken);

    public override async Task<bool> ExistsAsync(string blobName, CancellationToken cancellationToken) =>
        await S3Objects.LengthAsync(clients.Server, Bucket, blobName, cancellationToken) is not null;

    private sealed class MultipartUpload(IAmazonS3 s3, string bucket, string key) : ArtifactUpload
    {
        private readonly ConcurrentDictionary<int, string> etags = new();
        private Task<string>? starting;
        private string? uploadId;

        public override async Task StageAsync(int index, byte[] buffer, int count, bool only, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer, 0, count, writable: false);
            if (only)
            {
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = stream, AutoCloseStream = false }, cancellationToken);
                return;
            }

            var id = await UploadIdAsync(cancellationToken);
            var part = await s3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = bucket, Key = key, UploadId = id, PartNumber = index + 1, PartSize = count, InputStream = stream,
            }, cancellationToken);
            etags[index + 1] = part.ETag;
        }

        public override async Task CommitAsync(int parts, CancellationToken cancellationToken)
        {
            if (uploadId is null)
            {
                return;
            }

            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket, Key = key, UploadId = uploadId,
                PartETags = [.. Enumerable.Range(1, parts).Select(n => new PartETag(n, etags[n]))],
            }, cancellationToken);
        }

        public override async Task AbortAsync()
        {
            if (uploadId is null)
            {
                return;
            }

            try
            {
                await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, CancellationToken.None);
            }
            catch (Exception e) when (e is AmazonServiceException or HttpRequestException or IOException)
            {
                // The upload's own failure is what the caller must see; parts never completed are invisible, and a
                // bucket lifecycle rule (docs/deploy.md) removes abandoned ones.
            }
        }

        /// <summary>The loop calls StageAsync in order on one thread, each call running to its first await, so the
        /// first part starts the multipart upload and the others await the same task.</summary>
        private async Task<string> UploadIdAsync(CancellationToken cancellationToken)
        {
            starting ??= InitiateAsync(cancellationToken);
            return uploadId = await starting;
        }

        private async Task<string> InitiateAsync(CancellationToken cancellationToken) =>
            (await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key }, cancellationToken)).UploadId;
    }
}
