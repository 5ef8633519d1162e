using System.Text.Json;
using Byot.Shared.Problems;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Incidents;

/// <summary>Reads the optional body of POST /incidents/{id}/ack and the body of POST /incidents/{id}/resolve:
/// <c>{"by": "alice", "note": "…"}</c>. A resolution needs its note: it is what readers of the history see.</summary>
public static class IncidentActionParser
{
    public const int MaxByLength = 200;
    public const int MaxNoteLength = 2000;

    private static readonly string[] Fields = ["by", "note"];

    public static IncidentAction Parse(JsonElement? body, bool noteRequired)
    {
        if (body is not { } json)
        {
            return noteRequired ? throw NoteMissing() : new IncidentAction(null, null);
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            throw P.BadRequest("Malformed body", "Send a JSON object such as {\"by\": \"alice\", \"note\": \"Payment provider outage, fixed upstream\"}.");
        }

        foreach (var property in json.EnumerateObject())
        {
            if (!Fields.Contains(property.Name, StringComparer.Ordinal))
            {
                throw P.InvalidField(property.Name, $"'{property.Name}' is not a field here; fields: {string.Join(", ", Fields)}.", Fields);
            }
        }

        var by = JsonTextField.Read(json, "by", MaxByLength, keepNewlines: false);
        var note = JsonTextField.Read(json, "note", MaxNoteLength, keepNewlines: true);
        return noteRequired && note is null ? throw NoteMissing() : new IncidentAction(by, note);
    }

    private static Problems.InvalidRequestException NoteMissing() =>
        P.MissingField("note", "Resolving by hand needs a note saying why, such as {\"note\": \"False alarm: the payment sandbox was down\", \"by\": \"alice\"}.");
}
