namespace Byot.Shared.Artifacts;

/// <summary>An artifact written to Blob storage whose database row does not exist yet.</summary>
public sealed record StagedArtifact(string BlobName, string Sha256, long SizeBytes);
