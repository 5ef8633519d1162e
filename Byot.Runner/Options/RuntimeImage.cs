using System.ComponentModel.DataAnnotations;

namespace Byot.Runner.Options;

/// <summary>The image a runtime runs in and its default commands. The command becomes the container's CMD (an
/// image's ENTRYPOINT stays, as with <c>docker run image args…</c>); an empty one keeps the image's own CMD.
/// Placeholders: <c>{file}</c> is the uploaded file's path in /app (for a bundle, /app itself), <c>{app}</c> is /app.</summary>
public sealed class RuntimeImage
{
    /// <summary>Empty only for runtime <c>image</c>, whose tests name their own.</summary>
    public string Image { get; set; } = "";

    [Required]
    public IList<string> Command { get; set; } = [];

    /// <summary>The default for a .zip or .tar.gz bundle unpacked into /app; empty means <see cref="Command"/>.</summary>
    public IList<string> BundleCommand { get; set; } = [];
}
