namespace Byot.Shared.Artifacts;

/// <summary>How an uploaded artifact is laid out in /app: one file, or a bundle unpacked into it.</summary>
public enum BundleFormat
{
    None,
    Zip,
    TarGz,
}
