using System.Text.RegularExpressions;

namespace Byot.Shared.Uploads;

/// <summary>The placeholders a command may use, substituted by the Runner in runtime defaults and user commands
/// alike. <c>${NAME}</c> is shell syntax (for a <c>/bin/sh -c</c> command), not a placeholder, and is left alone.</summary>
public static partial class CommandPlaceholders
{
    public const string File = "{file}";
    public const string App = "{app}";
    public const string AppPath = "/app";

    public static readonly string[] Allowed = [File, App];

    /// <summary>Null when every placeholder in the command is known; otherwise what is wrong and what is allowed.</summary>
    public static string? Check(IReadOnlyList<string> command)
    {
        foreach (var part in command)
        {
            foreach (Match match in Placeholder().Matches(part))
            {
                if (!Allowed.Contains(match.Value, StringComparer.Ordinal))
                {
                    var shown = match.Value.Length > 40 ? match.Value[..40] + "…" : match.Value;
                    return $"'command' uses the unknown placeholder '{shown}'; the placeholders are {File} (the uploaded file, /app/<name>, or /app for a bundle) and {App} (/app).";
                }
            }
        }

        return null;
    }

    public static string Substitute(string part, string file) =>
        part.Replace(File, file, StringComparison.Ordinal).Replace(App, AppPath, StringComparison.Ordinal);

    [GeneratedRegex(@"(?<!\$)\{[A-Za-z_][A-Za-z0-9_.-]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
