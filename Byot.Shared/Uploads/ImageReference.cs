using System.Text.RegularExpressions;

namespace Byot.Shared.Uploads;

/// <summary>Docker's image reference grammar (registry host[:port]/path[:tag][@digest]), so a bad name is refused at
/// upload rather than found at run time.</summary>
public static partial class ImageReference
{
    public const int MaxLength = 255;

    public static bool IsValid(string value) => value.Length <= MaxLength && Pattern().IsMatch(value);

    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Pattern();
}
