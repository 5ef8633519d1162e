using System.Text.Json;
using Byot.Shared.Domain;

namespace Byot.Shared.Problems;

/// <summary>An optional free-text field of a JSON request body (a reason, a note, who did it): control characters
/// stripped, trimmed, blank read as absent, and a 400 naming the field when it is not a string or too long.</summary>
internal static class JsonTextField
{
    public static string? Read(JsonElement json, string field, int max, bool keepNewlines)
    {
        if (!json.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Problem.InvalidField(field, $"'{field}' must be a string of at most {max} characters.");
        }

        var text = ControlCharacters.Strip(value.GetString()!, keepNewlines).Trim();
        return text.Length > max ? throw Problem.InvalidField(field, $"'{field}' must be at most {max} characters; it has {text.Length}.")
            : text.Length == 0 ? null
            : text;
    }
}
