using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Byot.Shared.Options;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Artifacts;

/// <summary>Test binaries and bundles in Blob storage, written block by block so nothing is held whole in memory
/// and nothing becomes visible until the last block is committed.</summary>
public sealed class ArtifactStore(BlobServiceClient blobs, IOptions<StorageOptions> options)
{
    private const int BlockBytes = 4 * 1024 * 1024;
    private const int BlocksInFlight = 6;

    private BlobContainerClient Container => blobs.GetBlobContainerClient(options.Value.ArtifactsContainer);

    public static string BlobNameFor(Guid testId, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"{testId:D}/v{version}/artifact");

    /// <summary>A fresh name for a later version (or a direct upload's commit): each attempt writes its own blob, so
    /// two racing uploads never overwrite the bytes the other one checked, and the loser deletes its copy.</summary>
    public static string NewVersionBlobName(Guid testId) => $"{testId:D}/u{Guid.NewGuid():N}/artifact";

    /// <summary>Where a file from a run's /artifacts is kept; run and test ids never collide (both are random uuids).</summary>
    public static string RunFileBlobName(Guid runId, string relativePath) => $"{runId:D}/{relativePath}";

    /// <summary>Streams <paramref name="source"/> into a new blob while hashing it. Throws
    /// <see cref="ArtifactTooLargeException"/> past <paramref name="maxBytes"/>; then no blob exists.</summary>
    public async Task<StagedArtifact> WriteAsync(string blobName, Stream source, long maxBytes, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlockBlobClient(blobName);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var blockIds = new List<string>();
        var inFlight = new List<(Task Task, byte[] Buffer)>();
        long total = 0;
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(BlockBytes);
                var filled = await FillAsync(source, buffer, BlockBytes, cancellationToken);
                if (filled == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }

                total += filled;
                if (total > maxBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw new ArtifactTooLargeException(maxBytes);
                }

                hash.AppendData(buffer, 0, filled);
                var blockId = Convert.ToBase64String(Encoding.ASCII.GetBytes(blockIds.Count.ToString("D8", CultureInfo.InvariantCulture)));
                blockIds.Add(blockId);
                var content = new MemoryStream(buffer, 0, filled, writable: false);
                inFlight.Add((blob.StageBlockAsync(blockId, content, cancellationToken: cancellationToken), buffer));
                if (inFlight.Count >= BlocksInFlight)
                {
                    await DrainOneAsync(inFlight);
                }

                if (filled < BlockBytes)
                {
                    break;
                }
            }

            while (inFlight.Count > 0)
            {
                await DrainOneAsync(inFlight);
            }

            if (total > 0)
            {
                await blob.CommitBlockListAsync(blockIds, cancellationToken: cancellationToken);
            }

            return new StagedArtifact(blobName, Convert.ToHexStringLower(hash.GetHashAndReset()), total);
        }
        finally
        {
            foreach (var (task, buffer) in inFlight)
            {
                await task.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    public async Task DeleteAsync(string blobName, CancellationToken cancellationToken) =>
        await Container.GetBlobClient(blobName).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    public async Task DownloadToFileAsync(string blobName, string path, CancellationToken cancellationToken) =>
        await Container.GetBlobClient(blobName).DownloadToAsync(path, cancellationToken);

    public async Task<Stream> OpenReadAsync(string blobName, CancellationToken cancellationToken) =>
        await Container.GetBlobClient(blobName).OpenReadAsync(cancellationToken: cancellationToken);

    public async Task<bool> ExistsAsync(string blobName, CancellationToken cancellationToken) =>
        (await Container.GetBlobClient(blobName).ExistsAsync(cancellationToken)).Value;

    private static async Task DrainOneAsync(List<(Task Task, byte[] Buffer)> inFlight)
    {
        var (task, buffer) = inFlight[0];
        inFlight.RemoveAt(0);
        try
        {
            await task;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<int> FillAsync(Stream source, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < count)
        {
            var read = await source.ReadAsync(buffer.AsMemory(filled, count - filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }
}
