namespace Byot.Shared.Uploads.Direct;

/// <summary>The answer to starting a direct upload: where to put the bytes (a write-only SAS URL for one staging
/// blob, as Put Block / Put Block List, or a presigned S3 PUT URL: <see cref="UploadProtocol"/> says which), the
/// block size the CLI uses, and where to commit.</summary>
public sealed record DirectUploadTicket(
    Guid UploadId,
    Guid TestId,
    Uri UploadUrl,
    DateTimeOffset ExpiresAt,
    long MaxBytes,
    int BlockBytes,
    string CommitUrl,
    string UploadProtocol);
