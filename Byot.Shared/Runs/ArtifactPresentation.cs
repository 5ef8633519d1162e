namespace Byot.Shared.Runs;

/// <summary>How a file a test wrote is served back. Only raster images are shown inline (the dashboard puts them
/// in an <c>img</c>); everything else is a download of opaque bytes, because a test's HTML or SVG opened on the
/// API's origin could run script there and read the dashboard's key.</summary>
public sealed record ArtifactPresentation(string ContentType, bool Inline)
{
    private static readonly Dictionary<string, string> InlineImages = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".webp"] = "image/webp",
    };

    public static ArtifactPresentation For(string path) =>
        InlineImages.TryGetValue(Path.GetExtension(path), out var type)
            ? new ArtifactPresentation(type, Inline: true)
            : new ArtifactPresentation("application/octet-stream", Inline: false);
}
