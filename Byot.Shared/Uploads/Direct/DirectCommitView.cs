namespace Byot.Shared.Uploads.Direct;

/// <summary>What a commit created; <see cref="Replayed"/> when an earlier commit of the same upload did.</summary>
public sealed record DirectCommitView(Guid Id, int ArtifactVersion, string Sha256, long SizeBytes, bool Replayed, string Message);
