using System.Globalization;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Byot.Shared.Options;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Artifacts;

/// <summary>Test binaries and bundles in Blob storage, written block by block so nothing is held whole in memory
/// and nothing becomes visible until the last block is committed.</summary>
public sealed class BlobArtifactStore(BlobServiceClient blobs, IOptions<StorageOptions> options) : ArtifactStore
{
    private BlobContainerClient Container => blobs.GetBlobContainerClient(options.Value.ArtifactsContainer);

    protected override int PartBytes => 4 * 1024 * 1024;

    protected override int PartsInFlight => 6;

    protected override ArtifactUpload Begin(string blobName) => new BlockUpload(Container.GetBlockBlobClient(blobName));

    public override async Task DeleteAsync(string blobName, CancellationToken cancellationToken) =>
        await Container.GetBlobClient(blobName).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    public override async Task DownloadToFileAsync(string blobName, string path, CancellationToken cancellationToken) =>
        await Container.GetBlobClient(blobName).DownloadToAsync(path, cancellationToken);

    public override async Task<Stream> OpenReadAsync(string blobName, CancellationToken cancellationToken) =>
        await Container.GetBlobClient(blobName).OpenReadAsync(cancellationToken: cancellationToken);

    public override async Task<bool> ExistsAsync(string blobName, CancellationToken cancellationToken) =>
        (await Container.GetBlobClient(blobName).ExistsAsync(cancellationToken)).Value;

    /// <summary>Blocks staged in parallel; none is visible until the block list is committed. Blocks of an
    /// upload that is refused are never committed, and the service discards them.</summary>
    private sealed class BlockUpload(BlockBlobClient blob) : ArtifactUpload
    {
        public override async Task StageAsync(int index, byte[] buffer, int count, bool only, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer, 0, count, writable: false);
            await blob.StageBlockAsync(BlockId(index), stream, cancellationToken: cancellationToken);
        }

        public override async Task CommitAsync(int parts, CancellationToken cancellationToken) =>
            await blob.CommitBlockListAsync(Enumerable.Range(0, parts).Select(BlockId), cancellationToken: cancellationToken);

        public override Task AbortAsync() => Task.CompletedTask;

        private static string BlockId(int index) =>
            Convert.ToBase64String(Encoding.ASCII.GetBytes(index.ToString("D8", CultureInfo.InvariantCulture)));
    }
}
