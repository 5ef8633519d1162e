namespace Byot.Shared.Artifacts;

/// <summary>Bounds on what a bundle may unpack to, whatever its compressed size.</summary>
public sealed record BundleLimits(long MaxTotalBytes, int MaxEntries);
