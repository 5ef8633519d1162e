using System.Globalization;
using System.Text.Json;

namespace Byot.Cli.Output;

/// <summary>Reads optional fields of the API's JSON for display.</summary>
internal static class Json
{
    public static string Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() ?? "",
            JsonValueKind.Null or JsonValueKind.Undefined => "",
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => v.GetRawText(),
        } : "";

    public static JsonElement Obj(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : default;

    public static string Duration(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? (v.GetDouble() / 1000).ToString("0.0", CultureInfo.InvariantCulture) + "s"
            : "";

    public static string Percent(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? (v.GetDouble() <= 1 ? v.GetDouble() * 100 : v.GetDouble()).ToString("0.##", CultureInfo.InvariantCulture) + "%"
            : "";
}
