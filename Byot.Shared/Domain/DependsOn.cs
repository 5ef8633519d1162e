namespace Byot.Shared.Domain;

/// <summary>What a test may depend on: another test's id, or <c>tag:&lt;tag&gt;</c> for every test carrying that tag
/// (resolved whenever it is used, so a test tagged later is selected too). Stored and shown as given: an id in its
/// lowercase <c>D</c> form, a tag selector as <c>tag:service:auth</c>.</summary>
public static class DependsOn
{
    public const string TagPrefix = "tag:";
    public const int MaxPerTest = 20;

    public const string Rule = "each dependency is a test id (a UUID) or a tag selector such as \"tag:service:auth\"";

    public static bool IsTag(string selector, out string tag)
    {
        tag = selector.StartsWith(TagPrefix, StringComparison.Ordinal) ? selector[TagPrefix.Length..] : "";
        return tag.Length > 0;
    }

    public static bool IsTest(string selector, out Guid id) =>
        Guid.TryParseExact(selector, "D", out id) && selector == id.ToString("D");

    /// <summary>The canonical form of one selector, or null when it is neither an id nor a valid tag selector.</summary>
    public static string? Normalize(string raw)
    {
        var value = raw.Trim();
        if (value.StartsWith(TagPrefix, StringComparison.Ordinal))
        {
            return Tags.IsValid(value[TagPrefix.Length..]) ? value : null;
        }

        return Guid.TryParse(value, out var id) ? id.ToString("D") : null;
    }
}
