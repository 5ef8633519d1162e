using Amazon.S3;
using Amazon.S3.Model;

namespace Byot.Shared.Storage.S3;

/// <summary>Reads byte ranges of a log's chunk objects one after another, one ranged GET open at a time.</summary>
internal sealed class S3ChunkReadStream(IAmazonS3 s3, string bucket, IReadOnlyList<(string Key, long From, long To)> ranges) : Stream
{
    private int next;
    private Stream? current;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            if (current is null)
            {
                if (next == ranges.Count)
                {
                    return 0;
                }

                var (key, from, to) = ranges[next++];
                current = await S3Objects.OpenReadAsync(s3, bucket, key, cancellationToken, new ByteRange(from, to - 1));
            }

            var read = await current.ReadAsync(buffer, cancellationToken);
            if (read > 0)
            {
                return read;
            }

            await current.DisposeAsync();
            current = null;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (current is not null)
        {
            await current.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            current?.Dispose();
        }

        base.Dispose(disposing);
    }
}
