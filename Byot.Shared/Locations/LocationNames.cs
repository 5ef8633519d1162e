using System.Text.RegularExpressions;

namespace Byot.Shared.Locations;

/// <summary>What a location may be called: lower case, a letter first (so a location's queue name never reads as
/// a shard number), at most 24 characters (its queue names stay within Azure's 63).</summary>
public static partial class LocationNames
{
    /// <summary>Where a test runs when it names no location, and where a Runner receives when it is given none.</summary>
    public const string Default = "default";

    public const int MaxLength = 24;

    /// <summary>Most locations one test may list.</summary>
    public const int MaxPerTest = 16;

    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && Shape().IsMatch(name);

    [GeneratedRegex("^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
