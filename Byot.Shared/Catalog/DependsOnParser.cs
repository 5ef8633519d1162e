using System.Text.Json;
using Byot.Shared.Domain;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Catalog;

/// <summary>Reads a test's <c>dependsOn</c>: a form field (ids and <c>tag:</c> selectors, commas or spaces) or a JSON
/// array. Duplicates fold, the order given is kept, and each bad entry is a 400 naming the field and the rule.
/// Whether the ids exist and whether a cycle follows is <see cref="DependencyCheck"/>'s, in the writing transaction.</summary>
public static class DependsOnParser
{
    public const string Field = "dependsOn";

    public static IReadOnlyList<string> ParseList(string raw, string field) =>
        Normalize(raw.Split([',', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries), field);

    /// <summary>An array of strings; null or an empty array removes every dependency.</summary>
    public static IReadOnlyList<string> ParseJson(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => [],
        JsonValueKind.Array when value.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String) =>
            Normalize(value.EnumerateArray().Select(t => t.GetString()!), Field),
        _ => throw P.InvalidField(Field, "'dependsOn' must be an array of test ids and tag selectors such as [\"tag:service:auth\"], or null to remove them all."),
    };

    private static List<string> Normalize(IEnumerable<string> raw, string field)
    {
        var selectors = new List<string>();
        foreach (var entry in raw)
        {
            var selector = DependsOn.Normalize(entry)
                ?? throw P.InvalidField(field, $"'{Clip(entry)}' is not a dependency: {DependsOn.Rule} ({Tags.Rule}).");
            if (!selectors.Contains(selector, StringComparer.Ordinal))
            {
                selectors.Add(selector);
            }
        }

        return selectors.Count <= DependsOn.MaxPerTest ? selectors
            : throw P.InvalidField(field, $"A test has at most {DependsOn.MaxPerTest} dependencies; {selectors.Count} were given.");
    }

    private static string Clip(string value) => ControlCharacters.Strip(value.Length <= 40 ? value : value[..40] + "…");
}
