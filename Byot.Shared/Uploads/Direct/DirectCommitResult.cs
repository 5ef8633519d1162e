namespace Byot.Shared.Uploads.Direct;

/// <summary>What the commit transaction did; version, sha256 and size are the committed ones when there are any.</summary>
public sealed record DirectCommitResult(DirectCommitOutcome Outcome, int Version = 0, string? Sha256 = null, long SizeBytes = 0);
