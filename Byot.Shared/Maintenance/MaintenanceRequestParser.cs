using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Byot.Shared.Domain;
using Byot.Shared.Catalog;
using Cronos;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Maintenance;

/// <summary>Reads a maintenance window from JSON (POST, and PATCH merged onto the window): every field checked, each
/// refusal a 400 naming the field and what it accepts.</summary>
public static class MaintenanceRequestParser
{
    public const int MaxNameLength = 200;
    public const int MaxDurationMinutes = 7 * 24 * 60;
    public const int MaxScopedTests = 100;
    public static readonly TimeSpan MaxOneOff = TimeSpan.FromDays(90);

    public static readonly IReadOnlyList<string> Fields =
        ["name", "mode", "startsAt", "endsAt", "cron", "days", "start", "durationMinutes", "timezone", "tests", "tags"];

    private static readonly IReadOnlyList<string> DayNames = [.. Enum.GetNames<DayOfWeek>().Select(d => d.ToLowerInvariant())];

    public static MaintenanceWindow Parse(JsonElement body, Guid id, DateTimeOffset createdAt, DateTimeOffset now)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw P.BadRequest("Malformed maintenance window",
                "Send a JSON object such as {\"name\": \"Database upgrade\", \"mode\": \"mute\", \"startsAt\": \"2026-12-05T22:00:00Z\", \"endsAt\": \"2026-12-06T01:00:00Z\", \"tags\": [\"service:checkout\"]}.");
        }

        foreach (var property in body.EnumerateObject())
        {
            if (!Fields.Contains(property.Name, StringComparer.Ordinal))
            {
                throw P.InvalidField(property.Name, $"'{property.Name}' is not a field of a maintenance window; fields: {string.Join(", ", Fields)}.", Fields);
            }
        }

        var name = ControlCharacters.Strip(String(body, "name") ?? "").Trim();
        if (name.Length is 0 or > MaxNameLength)
        {
            throw P.InvalidField("name", $"'name' must be 1 to {MaxNameLength} characters, such as \"Database upgrade\".");
        }

        var mode = String(body, "mode") ?? MaintenanceWindow.Mute;
        if (!MaintenanceWindow.Modes.Contains(mode, StringComparer.Ordinal))
        {
            throw P.InvalidField("mode", "'mode' must be 'mute' (runs go on, nothing pages) or 'pause' (scheduled runs are skipped).", MaintenanceWindow.Modes);
        }

        var zoneId = String(body, "timezone") ?? "UTC";
        if (zoneId.Length > 64 || !TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out _))
        {
            throw P.InvalidField("timezone", $"'{Clip(zoneId)}' is not an IANA time zone; use a name such as Europe/Berlin or UTC.");
        }

        var startsAt = Time(body, "startsAt");
        var endsAt = Time(body, "endsAt");
        var cron = String(body, "cron");
        var days = Days(body);
        var start = Start(body);
        var duration = Int(body, "durationMinutes", 1, MaxDurationMinutes);
        var recurring = cron is not null || days is not null || start is not null || duration is not null;
        if (startsAt is not null || endsAt is not null)
        {
            if (recurring)
            {
                throw P.InvalidField("startsAt", "A window is either one-off (startsAt and endsAt) or recurring (cron, or days and start, with durationMinutes), not both.");
            }

            if (startsAt is null || endsAt is null)
            {
                throw P.MissingField(startsAt is null ? "startsAt" : "endsAt", "A one-off window needs both startsAt and endsAt (RFC 3339, such as 2026-12-05T22:00:00Z).");
            }

            if (endsAt <= startsAt || endsAt - startsAt > MaxOneOff)
            {
                throw P.InvalidField("endsAt", $"'endsAt' must be after 'startsAt', and a one-off window lasts at most {MaxOneOff.TotalDays} days.");
            }
        }
        else
        {
            if (duration is null)
            {
                throw P.MissingField(recurring ? "durationMinutes" : "startsAt",
                    recurring ? $"A recurring window needs durationMinutes (1 to {MaxDurationMinutes})."
                        : "Say when: startsAt and endsAt for a one-off window, or cron (or days and start) with durationMinutes for a recurring one.");
            }

            if (cron is not null && (days is not null || start is not null))
            {
                throw P.InvalidField("cron", "A recurring window takes either 'cron' or 'days' and 'start', not both.");
            }

            if (cron is not null)
            {
                CheckCron(cron);
            }
            else if (days is null || start is null)
            {
                throw P.MissingField(days is null ? "days" : "start", "A weekly window needs days (such as [\"saturday\", \"sunday\"]) and start (local time, such as \"02:00\").");
            }
        }

        var tests = Tests(body);
        var tags = body.TryGetProperty("tags", out var t) ? TagParser.ParseJson(t) : [];
        if (tests.Count == 0 && tags.Count == 0)
        {
            throw P.MissingField("tests", "Say which tests the window covers: 'tests' (test ids) and/or 'tags' (such as [\"service:checkout\"]).");
        }

        return new MaintenanceWindow(id, name, mode, startsAt, endsAt, cron, days, start, duration, zoneId, tests, tags, createdAt, now);
    }

    /// <summary>The window as the JSON its fields are read from, so a merge patch can be laid over it and read again.</summary>
    public static JsonObject ToJson(MaintenanceWindow w)
    {
        var json = new JsonObject { ["name"] = w.Name, ["mode"] = w.Mode, ["timezone"] = w.TimeZone };
        if (w.StartsAt is { } s && w.EndsAt is { } e)
        {
            json["startsAt"] = s.ToString("O", CultureInfo.InvariantCulture);
            json["endsAt"] = e.ToString("O", CultureInfo.InvariantCulture);
        }

        if (w.Cron is not null)
        {
            json["cron"] = w.Cron;
        }

        if (w.Days is not null)
        {
            json["days"] = new JsonArray([.. w.Days.Select(d => (JsonNode?)JsonValue.Create(d))]);
        }

        if (w.Start is not null)
        {
            json["start"] = w.Start;
        }

        if (w.DurationMinutes is { } minutes)
        {
            json["durationMinutes"] = minutes;
        }

        json["tests"] = new JsonArray([.. w.Tests.Select(t => (JsonNode?)JsonValue.Create(t.ToString("D")))]);
        json["tags"] = new JsonArray([.. w.Tags.Select(t => (JsonNode?)JsonValue.Create(t))]);
        return json;
    }

    /// <summary>RFC 7396: a field set to null is removed, any other replaces the window's.</summary>
    public static JsonElement Merge(MaintenanceWindow current, JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            throw P.BadRequest("Malformed update", "Send a JSON object with the fields to change, such as {\"endsAt\": \"2026-12-06T02:00:00Z\"}.");
        }

        var json = ToJson(current);
        foreach (var property in patch.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                json.Remove(property.Name);
            }
            else
            {
                json[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }
        }

        return JsonSerializer.SerializeToElement(json);
    }

    private static void CheckCron(string cron)
    {
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        try
        {
            _ = fields is 5 or 6 ? CronExpression.Parse(cron, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard) : throw new CronFormatException("");
        }
        catch (CronFormatException)
        {
            throw P.InvalidField("cron", $"'{Clip(cron)}' is not a 5- or 6-field cron expression; for example \"0 2 * * 0\" starts the window at 02:00 every Sunday.");
        }
    }

    private static string? String(JsonElement body, string field) =>
        !body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim()
        : throw P.InvalidField(field, $"'{field}' must be a string.");

    private static DateTimeOffset? Time(JsonElement body, string field) =>
        String(body, field) is not { } text ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime()
        : throw P.InvalidField(field, $"'{field}' must be a time in RFC 3339 form, such as 2026-12-05T22:00:00Z.");

    private static int? Int(JsonElement body, string field, int min, int max) =>
        !body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= min && n <= max ? n
        : throw P.InvalidField(field, $"'{field}' must be a whole number from {min} to {max}.");

    private static IReadOnlyList<string>? Days(JsonElement body)
    {
        if (!body.TryGetProperty("days", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var days = value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0 && value.EnumerateArray().All(d => d.ValueKind == JsonValueKind.String)
            ? value.EnumerateArray().Select(d => d.GetString()!.Trim().ToLowerInvariant()).Distinct().ToList()
            : null;
        return days is not null && days.All(DayNames.Contains)
            ? [.. DayNames.Where(days.Contains)]
            : throw P.InvalidField("days", $"'days' must be a list of day names: {string.Join(", ", DayNames)}.", DayNames);
    }

    private static string? Start(JsonElement body) =>
        String(body, "start") is not { } text ? null
        : TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at.ToString("HH:mm", CultureInfo.InvariantCulture)
        : throw P.InvalidField("start", $"'{Clip(text)}' is not a local time; use HH:mm, such as \"02:00\".");

    private static IReadOnlyList<Guid> Tests(JsonElement body)
    {
        if (!body.TryGetProperty("tests", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > MaxScopedTests)
        {
            throw P.InvalidField("tests", $"'tests' must be a list of at most {MaxScopedTests} test ids.");
        }

        return [.. value.EnumerateArray()
            .Select(t => t.ValueKind == JsonValueKind.String && Guid.TryParseExact(t.GetString(), "D", out var id) ? id
                : throw P.InvalidField("tests", $"'{Clip(t.ToString())}' in 'tests' is not a test id; ids are UUIDs."))
            .Distinct()];
    }

    private static string Clip(string value) => ControlCharacters.Strip(value.Length <= 40 ? value : value[..40] + "…");
}
