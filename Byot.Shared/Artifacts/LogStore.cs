namespace Byot.Shared.Artifacts;

/// <summary>Run logs that can be read while they are still being written: append blobs on Azure Blob, numbered
/// chunk objects on S3 (which has no append). Offsets are byte offsets into the whole log on both.</summary>
public abstract class LogStore
{
    /// <summary>The most one append request takes (Blob's limit for one append block; one chunk object on S3).</summary>
    public const int MaxAppendBytes = 4 * 1024 * 1024;

    /// <summary>Starts an empty log, replacing what an earlier attempt of the same run wrote.</summary>
    public abstract Task CreateAsync(string blobName, CancellationToken cancellationToken);

    /// <summary>Creates the log unless it exists and returns its length: a later attempt of a run keeps what an
    /// earlier one (cut short by a runner that died) wrote, and appends after it.</summary>
    public abstract Task<long> OpenForAppendAsync(string blobName, CancellationToken cancellationToken);

    /// <summary>Appends <paramref name="content"/> at <paramref name="position"/> (the log's length so far) and returns
    /// the new length. An append the client retried after the service had already stored it (a lost reply, a
    /// timeout) is recognised and never written twice; different bytes at a stored position are refused.</summary>
    public abstract Task<long> AppendAsync(string blobName, ReadOnlyMemory<byte> content, long position, CancellationToken cancellationToken);

    /// <summary>Removes the log; a log that is not there is no error (retention deletes it before the run row, and
    /// may do so twice).</summary>
    public abstract Task DeleteAsync(string blobName, CancellationToken cancellationToken);

    /// <summary>Opens the log for reading from <paramref name="offset"/>, at most <paramref name="length"/> bytes when
    /// given; null when no log exists (yet).</summary>
    public abstract Task<Stream?> OpenReadAsync(string blobName, long offset, CancellationToken cancellationToken, long? length = null);
}
