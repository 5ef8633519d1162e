namespace Byot.Shared.Uploads.Direct;

/// <summary>A direct upload as stored: what to create on commit, where the client writes, until when, and once
/// committed, what was created (so a repeated commit answers the same).</summary>
public sealed record DirectUpload(
    Guid Id,
    DirectUploadKind Kind,
    Guid TestId,
    IReadOnlyDictionary<string, string> Fields,
    string FileName,
    string StagingBlob,
    DateTimeOffset ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CommittedAt = null,
    int? Version = null,
    string? Sha256 = null,
    long? SizeBytes = null);
