using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Byot.Cli.Api;

namespace Byot.Cli.Commands;

/// <summary>The options of <c>byot maintenance create</c> and <c>update</c>, turned into the API's JSON fields
/// (docs/maintenance.md). Only what was given is sent; test names are resolved to ids like every other command.</summary>
internal sealed class WindowOptions
{
    private readonly Option<string?> mode = new("--mode") { Description = "mute (runs go on, nothing pages; the default) or pause (scheduled runs are skipped)." };
    private readonly Option<string?> start = new("--start") { Description = "One-off: when it starts, RFC 3339 (2026-12-05T22:00:00Z)." };
    private readonly Option<string?> end = new("--end") { Description = "One-off: when it ends, RFC 3339." };
    private readonly Option<string?> cron = new("--cron") { Description = "Recurring: a cron expression for its starts ('0 2 * * 0')." };
    private readonly Option<string?> days = new("--days") { Description = "Recurring weekly: day names, comma-separated (saturday,sunday)." };
    private readonly Option<string?> at = new("--at") { Description = "Recurring weekly: the local start time, HH:mm (02:00)." };
    private readonly Option<string?> duration = new("--duration") { Description = "Recurring: how long each occurrence lasts: minutes, or 90m, 2h, 1d." };
    private readonly Option<string?> timezone = new("--timezone") { Description = "IANA zone the recurring start is local to (Europe/Berlin); default UTC." };
    private readonly Option<string[]> tests = new("--test") { Description = "A test it covers (id or unique name); repeatable.", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string[]> tags = new("--tag") { Description = "A tag whose tests it covers (service:checkout); repeatable." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { mode, start, end, cron, days, at, duration, timezone, tests, tags })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The fields given. A one-off time replaces a recurrence and the other way round (a merge patch's nulls),
    /// so <c>update</c> can turn one kind of window into the other.</summary>
    public async Task<JsonObject> BodyAsync(ParseResult parse, ByotClient client, CancellationToken cancellationToken)
    {
        var body = new JsonObject();
        Put(body, "mode", parse.GetValue(mode));
        Put(body, "startsAt", parse.GetValue(start));
        Put(body, "endsAt", parse.GetValue(end));
        Put(body, "cron", parse.GetValue(cron));
        if (parse.GetValue(days) is { } dayList)
        {
            body["days"] = new JsonArray([.. dayList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(d => (JsonNode?)JsonValue.Create(d.ToLowerInvariant()))]);
        }

        Put(body, "start", parse.GetValue(at));
        if (parse.GetValue(duration) is { } text)
        {
            body["durationMinutes"] = Minutes(text);
        }

        Put(body, "timezone", parse.GetValue(timezone));
        if (parse.GetValue(tests) is { Length: > 0 } named)
        {
            var ids = new JsonArray();
            foreach (var test in named)
            {
                ids.Add(await TestResolver.ResolveAsync(client, test, cancellationToken));
            }

            body["tests"] = ids;
        }

        if (parse.GetValue(tags) is { Length: > 0 } tagged)
        {
            body["tags"] = new JsonArray([.. tagged.Select(t => (JsonNode?)JsonValue.Create(t))]);
        }

        var oneOff = body.ContainsKey("startsAt") || body.ContainsKey("endsAt");
        var recurring = body.ContainsKey("cron") || body.ContainsKey("days") || body.ContainsKey("start") || body.ContainsKey("durationMinutes");
        if (oneOff && !recurring)
        {
            foreach (var field in new[] { "cron", "days", "start", "durationMinutes" })
            {
                body[field] = null;
            }
        }
        else if (recurring && !oneOff)
        {
            body["startsAt"] = null;
            body["endsAt"] = null;
            if (body.ContainsKey("cron"))
            {
                body["days"] = null;
                body["start"] = null;
            }
            else if (body.ContainsKey("days") || body.ContainsKey("start"))
            {
                body["cron"] = null;
            }
        }

        return body;
    }

    /// <summary>Minutes from <c>90</c>, <c>90m</c>, <c>2h</c> or <c>1d</c>; the API checks the range.</summary>
    public static int Minutes(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        var (number, factor) = t.EndsWith('d') ? (t[..^1], 1440) : t.EndsWith('h') ? (t[..^1], 60) : t.EndsWith('m') ? (t[..^1], 1) : (t, 1);
        return int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && n <= int.MaxValue / factor
            ? n * factor
            : throw CliException.BadInput($"--duration '{text}' is not a length of time; give minutes (120) or 90m, 2h, 1d.");
    }

    private static void Put(JsonObject body, string field, string? value)
    {
        if (value is not null)
        {
            body[field] = value;
        }
    }
}
