using System.Text.Json;
using Byot.Shared.Domain;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Catalog;

/// <summary>Reads a test's tags: a form field (<c>team:payments,service:checkout</c>, commas or spaces) or a JSON
/// array. Duplicates fold, the order is sorted, and each bad tag is a 400 naming the rule.</summary>
public static class TagParser
{
    public const string Field = "tags";

    public static IReadOnlyList<string> ParseList(string raw) =>
        Normalize(raw.Split([',', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>An array of strings; null or an empty array clears the tags.</summary>
    public static IReadOnlyList<string> ParseJson(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => [],
        JsonValueKind.Array when value.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String) =>
            Normalize(value.EnumerateArray().Select(t => t.GetString()!)),
        _ => throw P.InvalidField(Field, "'tags' must be an array of strings such as [\"team:payments\", \"service:checkout\"], or null to remove them all."),
    };

    /// <summary>One tag given as a filter (<c>?tag=team:payments</c>).</summary>
    public static string ParseOne(string raw, string field) =>
        Tags.IsValid(raw) ? raw : throw P.InvalidField(field, $"'{Clip(raw)}' is not a tag: {Tags.Rule}.");

    private static IReadOnlyList<string> Normalize(IEnumerable<string> tags)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags.Select(t => t.Trim()))
        {
            set.Add(Tags.IsValid(tag) ? tag : throw P.InvalidField(Field, $"'{Clip(tag)}' is not a tag: {Tags.Rule}."));
        }

        return set.Count <= Tags.MaxPerTest ? [.. set]
            : throw P.InvalidField(Field, $"A test has at most {Tags.MaxPerTest} tags; {set.Count} were given.");
    }

    private static string Clip(string value) => ControlCharacters.Strip(value.Length <= 40 ? value : value[..40] + "…");
}
