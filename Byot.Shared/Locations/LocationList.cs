using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Locations;

/// <summary>Reads the locations a test (or a run-now call) names, the same way for an upload field, a PATCH and
/// <c>POST /run/{id}</c>: each must have the shape of a location and be one this installation knows.</summary>
public static class LocationList
{
    /// <summary>An upload field: names separated by commas or spaces (<c>-F locations=eu-west,us-east</c>).</summary>
    public static IReadOnlyList<string> ParseField(string raw, string field, IReadOnlyList<string> known) =>
        Parse(raw.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), field, known);

    /// <summary>A JSON value (a PATCH or run-now body): an array of names.</summary>
    public static IReadOnlyList<string> ParseJson(System.Text.Json.JsonElement value, string field, IReadOnlyList<string> known) =>
        value.ValueKind == System.Text.Json.JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == System.Text.Json.JsonValueKind.String)
            ? Parse([.. value.EnumerateArray().Select(v => v.GetString()!)], field, known)
            : throw P.InvalidField(field, $$"""'{{field}}' must be an array of location names, for example ["default", "eu-west"].""", known);

    public static IReadOnlyList<string> Parse(IReadOnlyList<string> names, string field, IReadOnlyList<string> known)
    {
        var list = new List<string>();
        foreach (var raw in names)
        {
            var name = raw.Trim();
            if (!LocationNames.IsValid(name))
            {
                throw P.InvalidField(field, $"'{Clip(name)}' is not a location name: lower case letters, digits and single dashes, a letter first, at most {LocationNames.MaxLength} characters (for example eu-west).", known);
            }

            if (!known.Contains(name, StringComparer.Ordinal))
            {
                throw P.InvalidField(field, $"Location '{name}' is not one this installation knows; known: {string.Join(", ", known)} (Byot:Locations:Known lists them, each served by Runners with that Byot:Runner:Location).", known);
            }

            if (!list.Contains(name, StringComparer.Ordinal))
            {
                list.Add(name);
            }
        }

        return list.Count switch
        {
            0 => throw P.InvalidField(field, $"'{field}' names no location; name at least one, for example {LocationNames.Default}.", known),
            > LocationNames.MaxPerTest => throw P.InvalidField(field, $"'{field}' names {list.Count} locations; at most {LocationNames.MaxPerTest}.", known),
            _ => list,
        };
    }

    private static string Clip(string value) => value.Length <= 32 ? value : value[..32] + "…";
}
