using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;

namespace Byot.Shared.Artifacts;

/// <summary>Test binaries and bundles, and the files runs keep, in object storage (Azure Blob or S3, by
/// configuration). A write is hashed on the way, never held whole in memory, and visible only once complete.</summary>
public abstract class ArtifactStore
{
    public static string BlobNameFor(Guid testId, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"{testId:D}/v{version}/artifact");

    /// <summary>A fresh name for a later version (or a direct upload's commit): each attempt writes its own blob, so
    /// two racing uploads never overwrite the bytes the other one checked, and the loser deletes its copy.</summary>
    public static string NewVersionBlobName(Guid testId) => $"{testId:D}/u{Guid.NewGuid():N}/artifact";

    /// <summary>Where a file from a run's /artifacts is kept; run and test ids never collide (both are random uuids).</summary>
    public static string RunFileBlobName(Guid runId, string relativePath) => $"{runId:D}/{relativePath}";

    /// <summary>Streams <paramref name="source"/> into a new object while hashing it. Throws
    /// <see cref="ArtifactTooLargeException"/> past <paramref name="maxBytes"/>; then no object exists.</summary>
    public async Task<StagedArtifact> WriteAsync(string blobName, Stream source, long maxBytes, CancellationToken cancellationToken)
    {
        var upload = Begin(blobName);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var inFlight = new List<(Task Task, byte[] Buffer)>();
        var parts = 0;
        long total = 0;
        var committed = false;
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(PartBytes);
                var filled = await FillAsync(source, buffer, PartBytes, cancellationToken);
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
                var only = parts == 0 && filled < PartBytes;
                inFlight.Add((upload.StageAsync(parts++, buffer, filled, only, cancellationToken), buffer));
                if (inFlight.Count >= PartsInFlight)
                {
                    await DrainOneAsync(inFlight);
                }

                if (filled < PartBytes)
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
                await upload.CommitAsync(parts, cancellationToken);
            }

            committed = true;
            return new StagedArtifact(blobName, Convert.ToHexStringLower(hash.GetHashAndReset()), total);
        }
        finally
        {
            foreach (var (task, buffer) in inFlight)
            {
                await task.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (!committed)
            {
                await upload.AbortAsync();
            }
        }
    }

    public abstract Task DeleteAsync(string blobName, CancellationToken cancellationToken);

    public abstract Task DownloadToFileAsync(string blobName, string path, CancellationToken cancellationToken);

    public abstract Task<Stream> OpenReadAsync(string blobName, CancellationToken cancellationToken);

    public abstract Task<bool> ExistsAsync(string blobName, CancellationToken cancellationToken);

    /// <summary>How many bytes one staged part holds; every part but the last is full.</summary>
    protected abstract int PartBytes { get; }

    protected abstract int PartsInFlight { get; }

    protected abstract ArtifactUpload Begin(string blobName);

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
