namespace Byot.Shared.Storage;

/// <summary>A run past retention and the blobs it owns: its log (null when it never had one) and its artifacts.</summary>
public sealed record ExpiredRun(Guid RunId, string? LogBlob, IReadOnlyList<string> ArtifactBlobs);
