namespace Byot.Shared.Artifacts;

public static class BundleFormats
{
    /// <summary>Decided by the (sanitised) file name, the only hint a multipart upload carries.</summary>
    public static BundleFormat Detect(string fileName) =>
        fileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? BundleFormat.Zip
        : fileName.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) ? BundleFormat.TarGz
        : BundleFormat.None;
}
