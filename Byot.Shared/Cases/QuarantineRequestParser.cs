using System.Globalization;
using System.Text.Json;
using Byot.Shared.Problems;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Cases;

/// <summary>Reads the body of PUT /tests/{id}/cases/{caseId}/quarantine: <c>{"reason": "…", "until": "2026-12-08T00:00:00Z",
/// "by": "alice"}</c>. A reason is required (it is what readers of the cases see); <c>until</c>, when given, is a
/// date-time with its offset, in the future.</summary>
public static class QuarantineRequestParser
{
    public const int MaxReasonLength = 1000;
    public const int MaxByLength = 200;

    private static readonly string[] Fields = ["reason", "until", "by"];

    public static CaseQuarantine Parse(JsonElement? body, DateTimeOffset now)
    {
        if (body is not { ValueKind: JsonValueKind.Object } json)
        {
            throw P.BadRequest("Malformed body", "Send a JSON object such as {\"reason\": \"Known issue with the payment sandbox\", \"until\": \"2026-12-08T00:00:00Z\"}.");
        }

        foreach (var property in json.EnumerateObject())
        {
            if (!Fields.Contains(property.Name, StringComparer.Ordinal))
            {
                throw P.InvalidField(property.Name, $"'{property.Name}' is not a field here; fields: {string.Join(", ", Fields)}.", Fields);
            }
        }

        var reason = JsonTextField.Read(json, "reason", MaxReasonLength, keepNewlines: true)
            ?? throw P.MissingField("reason", "'reason' is required: say why the case's failures are accepted, such as {\"reason\": \"Known issue with the payment sandbox\"}.");
        var by = JsonTextField.Read(json, "by", MaxByLength, keepNewlines: false);
        DateTimeOffset? until = null;
        if (json.TryGetProperty("until", out var value) && value.ValueKind != JsonValueKind.Null)
        {
            if (value.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParseExact(value.GetString(), "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
                || !HasOffset(value.GetString()!))
            {
                throw P.InvalidField("until", "'until' must be an ISO 8601 date-time with its offset, such as \"2026-12-08T00:00:00Z\".");
            }

            if (parsed <= now)
            {
                throw P.InvalidField("until", $"'until' must be in the future; it is {parsed.ToUniversalTime():O} and now is {now.ToUniversalTime():O}. Leave it out to quarantine until the quarantine is removed.");
            }

            until = parsed.ToUniversalTime();
        }

        return new CaseQuarantine(reason, until, by, now);
    }

    private static bool HasOffset(string text) => text.EndsWith('Z') || text.EndsWith('z') || text.Length > 6 && text[^6] is '+' or '-';

}
