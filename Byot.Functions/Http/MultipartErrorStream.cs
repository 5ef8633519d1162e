using Byot.Shared.Problems;
using Microsoft.AspNetCore.Http;

namespace Byot.Functions.Http;

/// <summary>Wraps a multipart section so a truncated or oversized body surfaces as a client error, not a 500.</summary>
internal sealed class MultipartErrorStream(Stream inner) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new TooLargeException("too-large", "Request body too large", "The request body exceeds the upload limit. Upload a smaller file.", "binary");
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw Problem.BadRequest("Malformed multipart body", "The request body ended early or is not valid multipart/form-data: " + e.Message);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
