using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Byot.Cli.Api;
using Byot.Cli.Output;

namespace Byot.Cli.Deploy;

/// <summary>Compares byot.yaml's maintenance windows with the server's, matched by name, field by field (times as
/// instants, days, tests and tags as sets), so a second deploy of the same file finds every window unchanged. Only a
/// file with a <c>maintenance:</c> section manages windows: without one, the server's are left alone, --prune
/// included.</summary>
internal static class WindowPlanner
{
    public static async Task<List<WindowPlanItem>> PlanAsync(ByotClient client, DeployFile file, bool prune, CancellationToken cancellationToken)
    {
        if (file.Maintenance.Count == 0)
        {
            return [];
        }

        var names = await TestNamesAsync(client, cancellationToken);
        var existing = (await client.GetJsonAsync("maintenance", cancellationToken)).EnumerateArray().Select(v => v.GetProperty("window").Clone())
            .GroupBy(w => Json.Str(w, "name"), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var declaredTests = file.Tests.Select(t => t.Name!).ToHashSet(StringComparer.Ordinal);
        var items = new List<WindowPlanItem>();
        foreach (var spec in file.Maintenance)
        {
            foreach (var test in spec.Tests ?? [])
            {
                if (!declaredTests.Contains(test) && !names.ByName.ContainsKey(test) && !names.ById.ContainsKey(test))
                {
                    throw CliException.BadInput($"Maintenance window '{spec.Name}' covers test '{test}', which is neither in byot.yaml nor on the server.");
                }
            }

            if (!existing.TryGetValue(spec.Name!, out var matches))
            {
                items.Add(new WindowPlanItem { Action = DeployPlan.Create, Name = spec.Name!, Spec = spec, Changes = [Describe(spec)] });
                continue;
            }

            if (matches.Count > 1)
            {
                throw CliException.BadInput($"{matches.Count} maintenance windows on the server are named '{spec.Name}' ({string.Join(", ", matches.Select(m => Json.Str(m, "id")))}); rename or delete all but one (`byot maintenance rm ID`).");
            }

            var changes = Compare(matches[0], spec, names);
            items.Add(new WindowPlanItem { Action = changes.Count == 0 ? DeployPlan.Unchanged : DeployPlan.Update, Name = spec.Name!, Id = Json.Str(matches[0], "id"), Spec = spec, Changes = changes });
        }

        var declared = file.Maintenance.Select(w => w.Name!).ToHashSet(StringComparer.Ordinal);
        items.AddRange(existing.Where(e => !declared.Contains(e.Key)).SelectMany(e => e.Value)
            .OrderBy(w => Json.Str(w, "name"), StringComparer.Ordinal)
            .Select(w => new WindowPlanItem { Action = prune ? DeployPlan.Delete : DeployPlan.Kept, Name = Json.Str(w, "name"), Id = Json.Str(w, "id") }));
        return items;
    }

    /// <summary>The window's whole definition as the API takes it, tests resolved to ids (after the tests are
    /// applied, so a test the file creates has one). Fields the file leaves out are null, so an update makes the
    /// server's window exactly the file's.</summary>
    public static async Task<JsonObject> BodyAsync(ByotClient client, DeployWindow spec, CancellationToken cancellationToken)
    {
        var names = await TestNamesAsync(client, cancellationToken);
        var tests = new JsonArray();
        foreach (var test in spec.Tests ?? [])
        {
            tests.Add(names.ById.ContainsKey(test) ? test
                : names.ByName.TryGetValue(test, out var ids) && ids.Count == 1 ? ids[0]
                : throw CliException.BadInput($"Maintenance window '{spec.Name}' covers test '{test}', which {(ids is { Count: > 1 } ? "names several tests on the server; use its id" : "is not on the server")}."));
        }

        return new JsonObject
        {
            ["name"] = spec.Name,
            ["mode"] = spec.Mode ?? "mute",
            ["startsAt"] = spec.StartsAt,
            ["endsAt"] = spec.EndsAt,
            ["cron"] = spec.Cron,
            ["days"] = spec.Days is null ? null : new JsonArray([.. spec.Days.Select(d => (JsonNode?)JsonValue.Create(d.ToLowerInvariant()))]),
            ["start"] = spec.Start,
            ["durationMinutes"] = spec.DurationMinutes,
            ["timezone"] = spec.Timezone ?? "UTC",
            ["tests"] = tests,
            ["tags"] = new JsonArray([.. (spec.Tags ?? []).Select(t => (JsonNode?)JsonValue.Create(t))]),
        };
    }

    private static List<string> Compare(JsonElement server, DeployWindow spec, TestNames names)
    {
        var changes = new List<string>();
        void Field(string field, string current, string? wanted, bool same)
        {
            if (!same)
            {
                changes.Add($"{field} {(current.Length == 0 ? "(none)" : current)} -> {wanted ?? "(none)"}");
            }
        }

        Field("mode", Json.Str(server, "mode"), spec.Mode ?? "mute", Json.Str(server, "mode") == (spec.Mode ?? "mute"));
        Field("startsAt", Json.Str(server, "startsAt"), spec.StartsAt, SameInstant(Json.Str(server, "startsAt"), spec.StartsAt));
        Field("endsAt", Json.Str(server, "endsAt"), spec.EndsAt, SameInstant(Json.Str(server, "endsAt"), spec.EndsAt));
        Field("cron", Json.Str(server, "cron"), spec.Cron, Json.Str(server, "cron") == (spec.Cron ?? ""));
        var days = Strings(server, "days");
        var wantedDays = (spec.Days ?? []).Select(d => d.ToLowerInvariant()).ToList();
        Field("days", string.Join(",", days), string.Join(",", wantedDays), days.Order(StringComparer.Ordinal).SequenceEqual(wantedDays.Order(StringComparer.Ordinal), StringComparer.Ordinal));
        Field("start", Json.Str(server, "start"), spec.Start, Json.Str(server, "start") == (spec.Start ?? ""));
        var duration = spec.DurationMinutes?.ToString(CultureInfo.InvariantCulture);
        Field("durationMinutes", Json.Str(server, "durationMinutes"), duration, Json.Str(server, "durationMinutes") == (duration ?? ""));
        Field("timezone", Json.Str(server, "timeZone"), spec.Timezone ?? "UTC", Json.Str(server, "timeZone") == (spec.Timezone ?? "UTC"));

        // Tests compare by name where the server knows one, so a file naming a test matches the id the server keeps.
        var tests = Strings(server, "tests").Select(id => names.ById.GetValueOrDefault(id) ?? id).Order(StringComparer.Ordinal).ToList();
        var wantedTests = (spec.Tests ?? []).Select(t => names.ById.GetValueOrDefault(t) ?? t).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Field("tests", string.Join(",", tests), string.Join(",", wantedTests), tests.SequenceEqual(wantedTests, StringComparer.Ordinal));
        var tags = Strings(server, "tags").Order(StringComparer.Ordinal).ToList();
        var wantedTags = (spec.Tags ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Field("tags", string.Join(",", tags), string.Join(",", wantedTags), tags.SequenceEqual(wantedTags, StringComparer.Ordinal));
        return changes;
    }

    private static string Describe(DeployWindow spec) =>
        (spec.StartsAt is not null ? $"{spec.StartsAt} to {spec.EndsAt}"
            : spec.Cron is not null ? $"cron '{spec.Cron}' for {spec.DurationMinutes} min"
            : $"{string.Join(",", spec.Days ?? [])} at {spec.Start} for {spec.DurationMinutes} min")
        + $" ({spec.Mode ?? "mute"})";

    private static bool SameInstant(string server, string? wanted) =>
        server.Length == 0 ? wanted is null
        : wanted is not null && DateTimeOffset.TryParse(server, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var a)
          && DateTimeOffset.TryParse(wanted, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var b) && a == b;

    private static List<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? [.. list.EnumerateArray().Select(x => x.GetString() ?? "")] : [];

    private static async Task<TestNames> TestNamesAsync(ByotClient client, CancellationToken cancellationToken)
    {
        var tests = (await client.GetJsonAsync("tests", cancellationToken)).EnumerateArray().Select(s => s.GetProperty("test")).ToList();
        return new TestNames(
            tests.GroupBy(t => Json.Str(t, "name"), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(t => Json.Str(t, "id")).ToList(), StringComparer.Ordinal),
            tests.ToDictionary(t => Json.Str(t, "id"), t => Json.Str(t, "name"), StringComparer.OrdinalIgnoreCase));
    }
}
