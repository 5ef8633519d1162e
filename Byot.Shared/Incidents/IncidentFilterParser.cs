using System.Globalization;
using Byot.Shared.Domain;
using Byot.Shared.Runs;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Incidents;

/// <summary>Reads GET /incidents' query parameters into a filter; each bad one is a 400 naming it.</summary>
public static class IncidentFilterParser
{
    public static readonly IReadOnlyList<string> Parameters = ["state", "testId", "tag", "severity", "from", "to", "limit", "cursor"];

    /// <summary><paramref name="query"/>: each parameter given, with its value (absent ones left out).</summary>
    public static IncidentFilter Parse(IReadOnlyDictionary<string, string> query)
    {
        foreach (var name in query.Keys)
        {
            if (!Parameters.Contains(name, StringComparer.Ordinal))
            {
                throw P.InvalidField(name, $"'{name}' is not a filter of GET /incidents; use: {string.Join(", ", Parameters)}.", Parameters);
            }
        }

        var state = query.GetValueOrDefault("state") ?? IncidentFilter.All;
        if (!IncidentFilter.States.Contains(state, StringComparer.Ordinal))
        {
            throw P.InvalidField("state", $"'state' must be one of: {string.Join(", ", IncidentFilter.States)} (open includes acknowledged incidents).", IncidentFilter.States);
        }

        Severity? severity = null;
        if (query.TryGetValue("severity", out var severityText))
        {
            severity = Severities.TryParse(severityText, out var s) ? s
                : throw P.InvalidField("severity", $"'severity' must be one of: {string.Join(", ", Severities.Allowed)}.", Severities.Allowed);
        }

        var tag = query.GetValueOrDefault("tag");
        if (tag is not null && !Tags.IsValid(tag))
        {
            throw P.InvalidField("tag", $"'tag' is not a tag: {Tags.Rule}.");
        }

        var from = Time(query, "from");
        var to = Time(query, "to");
        if (from is { } f && to is { } t && t <= f)
        {
            throw P.InvalidField("to", "'to' must be later than 'from'.");
        }

        var limit = IncidentFilter.DefaultLimit;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > IncidentFilter.MaxLimit))
        {
            throw P.InvalidField("limit", $"'limit' must be a whole number from 1 to {IncidentFilter.MaxLimit}.");
        }

        return new IncidentFilter(
            state,
            query.TryGetValue("testId", out var testId) ? Ids.Parse("test", testId) : null,
            tag,
            severity,
            from,
            to,
            limit,
            query.TryGetValue("cursor", out var cursor) ? RunCursor.Parse(cursor) : null);
    }

    private static DateTimeOffset? Time(IReadOnlyDictionary<string, string> query, string name) =>
        !query.TryGetValue(name, out var text) ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime()
        : throw P.InvalidField(name, $"'{name}' must be a time in RFC 3339 form, such as 2026-11-23T10:00:00Z.");
}
