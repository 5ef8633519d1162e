namespace Byot.Shared.Domain;

/// <summary>A file a run left in /artifacts, kept in Blob storage under the run.</summary>
public sealed record RunArtifact(Guid RunId, string Path, string BlobName, long SizeBytes);
