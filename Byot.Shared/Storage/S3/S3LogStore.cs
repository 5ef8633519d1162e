using System.Globalization;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Byot.Shared.Artifacts;
using Byot.Shared.Options;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Storage.S3;

/// <summary>Run logs on S3, which has no append: each append is one chunk object named by the byte offset it starts
/// at (<c>{log}/{offset:D16}</c>), so the bucket's ordered listing is the manifest and a reader at any offset lists
/// from the one chunk that can hold it and reads the chunks in order. A chunk is written only if absent (If-None-Match),
/// so a retried append that the server had stored is recognised by its length, and different bytes at a stored
/// offset are refused, as Blob's conditional append does.</summary>
public sealed class S3LogStore(S3Clients clients, IOptions<StorageOptions> options) : LogStore
{
    private const int OffsetDigits = 16;

    private string Bucket => options.Value.LogsContainer;

    public static string ChunkKey(string blobName, long offset) =>
        $"{blobName}/{offset.ToString("D" + OffsetDigits, CultureInfo.InvariantCulture)}";

    /// <summary>An empty log is no chunk at all.</summary>
    public override Task CreateAsync(string blobName, CancellationToken cancellationToken) => DeleteAsync(blobName, cancellationToken);

    public override async Task DeleteAsync(string blobName, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var (key, _) in S3Objects.ListAsync(clients.Server, Bucket, Prefix(blobName), null, cancellationToken))
        {
            keys.Add(key);
        }

        foreach (var batch in keys.Chunk(1000))
        {
            await clients.Server.DeleteObjectsAsync(new DeleteObjectsRequest
            {
                BucketName = Bucket, Objects = [.. batch.Select(k => new KeyVersion { Key = k })],
            }, cancellationToken);
        }
    }

    /// <summary>Nothing to create: a log with no chunk reads as empty. Its length is where the last chunk ends.</summary>
    public override async Task<long> OpenForAppendAsync(string blobName, CancellationToken cancellationToken)
    {
        long length = 0;
        await foreach (var chunk in ChunksAsync(blobName, null, cancellationToken))
        {
            length = chunk.Start + chunk.Size;
        }

        return length;
    }

    public override async Task<long> AppendAsync(string blobName, ReadOnlyMemory<byte> content, long position, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < content.Length; offset += MaxAppendBytes)
        {
            var length = Math.Min(MaxAppendBytes, content.Length - offset);
            var key = ChunkKey(blobName, position);
            using var stream = new MemoryStream(content.Slice(offset, length).ToArray(), writable: false);
            try
            {
                await clients.Server.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = Bucket, Key = key, InputStream = stream, IfNoneMatch = "*", ContentType = "text/plain; charset=utf-8",
                }, cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
            {
                if (await S3Objects.LengthAsync(clients.Server, Bucket, key, cancellationToken) != length)
                {
                    throw;
                }
            }

            position += length;
        }

        return position;
    }

    public override async Task<Stream?> OpenReadAsync(string blobName, long offset, CancellationToken cancellationToken, long? length = null)
    {
        var end = length is { } l ? offset + l : long.MaxValue;
        // A chunk is at most MaxAppendBytes long, so the one holding `offset` starts after offset - MaxAppendBytes.
        var startAfter = offset >= MaxAppendBytes ? ChunkKey(blobName, offset - MaxAppendBytes) : null;
        var ranges = new List<(string Key, long From, long To)>();
        var any = false;
        await foreach (var chunk in ChunksAsync(blobName, startAfter, cancellationToken))
        {
            any = true;
            if (chunk.Start >= end)
            {
                break;
            }

            var from = Math.Max(offset, chunk.Start);
            var to = Math.Min(end, chunk.Start + chunk.Size);
            if (from < to)
            {
                ranges.Add((chunk.Key, from - chunk.Start, to - chunk.Start));
            }
        }

        if (!any && offset == 0)
        {
            return null;
        }

        return new S3ChunkReadStream(clients.Server, Bucket, ranges);
    }

    private static string Prefix(string blobName) => blobName + "/";

    private async IAsyncEnumerable<(string Key, long Start, long Size)> ChunksAsync(
        string blobName, string? startAfter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = Prefix(blobName);
        await foreach (var (key, size) in S3Objects.ListAsync(clients.Server, Bucket, prefix, startAfter, cancellationToken))
        {
            var name = key.AsSpan(prefix.Length);
            if (name.Length == OffsetDigits && long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            {
                yield return (key, start, size);
            }
        }
    }
}
