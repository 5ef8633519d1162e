namespace Byot.Shared.Domain;

/// <summary>One uploaded version of a test's binary or bundle; the blob name is generated, never the client's.</summary>
public sealed record TestArtifact(
    Guid TestId,
    int Version,
    string BlobName,
    string Sha256,
    long SizeBytes,
    string FileName);
