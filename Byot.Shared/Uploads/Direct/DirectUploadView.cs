namespace Byot.Shared.Uploads.Direct;

/// <summary>An upload's state for a resuming client: open or committed, until when, and the blocks already put.</summary>
public sealed record DirectUploadView(
    Guid UploadId,
    Guid TestId,
    string Kind,
    string Status,
    DateTimeOffset ExpiresAt,
    int? ArtifactVersion,
    IReadOnlyList<DirectUploadBlock> Blocks);
