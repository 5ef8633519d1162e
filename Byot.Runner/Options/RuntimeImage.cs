using System.ComponentModel.DataAnnotations;

namespace Byot.Runner.Options;

/// <summary>The image a runtime runs in and its default command; <c>{file}</c> stands for the artifact's path in /app.</summary>
public sealed class RuntimeImage
{
    [Required]
    public string Image { get; set; } = "";

    [Required, MinLength(1)]
    public IList<string> Command { get; set; } = [];
}
