namespace Byot.Shared.Artifacts;

/// <summary>The staging objects of direct uploads: a client writes one through a short-lived, write-only URL for
/// that object alone (a SAS URL on Blob, a presigned PUT on S3); BYOT copies it to a name the client cannot write
/// before it reads a byte of it.</summary>
public abstract class StagingBlobs
{
    /// <summary>Put Block per block, then Put Block List, to a SAS URL (any Blob SDK's block upload).</summary>
    public const string AzureBlobBlocks = "azure-blob-blocks";

    /// <summary>One HTTP PUT of the whole file to a presigned S3 URL (<c>curl -T</c>).</summary>
    public const string S3PresignedPut = "s3-presigned-put";

    /// <summary>Test ids are uuids at the container's root, so this prefix never meets an artifact.</summary>
    public static string NameFor(Guid uploadId) => $"staging/{uploadId:N}";

    /// <summary>How a client puts the bytes to <see cref="WriteUriAsync"/>'s URL.</summary>
    public abstract string Protocol { get; }

    public abstract Task CreateAsync(string name, CancellationToken cancellationToken);

    public abstract Task<Uri> WriteUriAsync(string name, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>The stored length, or null when the object does not exist.</summary>
    public abstract Task<long?> LengthAsync(string name, CancellationToken cancellationToken);

    /// <summary>Blocks put so far, committed or not (what a resuming client may skip); none on S3's single PUT.</summary>
    public abstract Task<IReadOnlyList<(string Id, long Size)>> BlocksAsync(string name, CancellationToken cancellationToken);

    /// <summary>Server-side copy; returns once the copy is complete.</summary>
    public abstract Task CopyAsync(string source, string destination, CancellationToken cancellationToken);

    public abstract Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken);

    public abstract Task DeleteAsync(string name, CancellationToken cancellationToken);
}
