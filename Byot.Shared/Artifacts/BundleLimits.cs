namespace Byot.Shared.Artifacts;

/// <summary>Bounds on what a bundle may unpack to, whatever its compressed size.</summary>
public sealed record BundleLimits(long MaxTotalBytes, int MaxEntries)
{
    /// <summary>Largest tar metadata entry (PAX extended header, GNU long name or long link) read into memory.</summary>
    public const int MaxHeaderBytes = 1024 * 1024;

    /// <summary>Longest link target read; a zip keeps it as the entry's content, so no more is read ahead.</summary>
    public const int MaxLinkTargetBytes = 4096;

    /// <summary>What Linux filesystems accept: a name (one path segment) of 255 bytes, a path of 4096.</summary>
    public const int MaxSegmentBytes = 255;

    public const int MaxPathBytes = 4096;
}
