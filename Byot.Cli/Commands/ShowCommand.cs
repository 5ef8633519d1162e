using System.CommandLine;
using System.Text.Json;
using Byot.Cli.Api;
using Byot.Cli.Output;

namespace Byot.Cli.Commands;

/// <summary><c>byot show TEST</c>: one test's definition and its statistics.</summary>
internal static class ShowCommand
{
    public static Command Create(CommandKit kit)
    {
        var test = new Argument<string>("TEST") { Description = "Test id or unique name." };
        var command = new Command("show", "Show a test's definition and statistics.") { test };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var renderer = kit.Renderer(parse);
            using var client = kit.Client();
            var id = await TestResolver.ResolveAsync(client, parse.GetValue(test)!, cancellationToken);
            var view = await client.GetJsonAsync($"tests/{id}", cancellationToken);
            var stats = await client.GetJsonAsync($"tests/{id}/stats", cancellationToken);
            if (renderer.Json)
            {
                renderer.WriteJson(new Dictionary<string, JsonElement> { ["test"] = view, ["stats"] = stats });
                return ExitCodes.Ok;
            }

            var schedule = Json.Obj(view, "schedule");
            var commandLine = view.TryGetProperty("command", out var c) && c.ValueKind == JsonValueKind.Array
                ? string.Join(' ', c.EnumerateArray().Select(a => a.GetString()))
                : "(runtime default)";
            List<(string, string)> pairs =
            [
                ("name", Json.Str(view, "name")),
                ("id", Json.Str(view, "id")),
                ("runtime", Json.Str(view, "runtime")),
                ("severity", Json.Str(view, "severity")),
                ("enabled", Json.Str(view, "enabled")),
                ("schedule", schedule.ValueKind == JsonValueKind.Object ? $"{Json.Str(schedule, "expression")} ({Json.Str(schedule, "timeZone")}), next {Json.Str(schedule, "nextRunAt")}" : "none"),
                ("command", commandLine),
                ("timeout", Json.Str(view, "timeoutSeconds") + "s"),
                ("failure threshold", Json.Str(view, "failureThreshold")),
                ("retries", Json.Str(view, "retries") is { Length: > 0 } and not "0" and var retries
                    ? $"{retries} (delay {Json.Str(view, "retryDelaySeconds")}s, {Json.Str(view, "retryBackoff")})"
                    : "none"),
                ("limits", $"{Json.Str(view, "memoryMb")} MB, {Json.Str(view, "cpus")} CPU, network {(Json.Str(view, "networkEnabled") == "true" ? "on" : "off")}"),
                ("artifact", $"v{Json.Str(view, "artifactVersion")} {Json.Str(view, "artifactSha256")}".TrimEnd()),
                ("updated", Json.Str(view, "updatedAt")),
            ];
            if (stats.ValueKind == JsonValueKind.Object)
            {
                pairs.AddRange(StatsLines(stats));
            }

            renderer.Pairs(pairs);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Uptime per window, duration percentiles, run counts and flips, as the stats route defines them.</summary>
    private static IEnumerable<(string, string)> StatsLines(JsonElement stats)
    {
        var uptime = Json.Obj(stats, "uptime");
        string Window(string name) => $"{name} {(Json.Percent(uptime, name) is { Length: > 0 } p ? p : "n/a")}";
        yield return ("uptime", $"{Window("24h")} · {Window("7d")} · {Window("30d")} (infra errors and results in mute maintenance windows left out)");
        var p50 = Json.Duration(stats, "durationP50Ms");
        yield return ("duration (7d)", p50.Length == 0 ? "n/a" : $"p50 {p50} · p95 {Json.Duration(stats, "durationP95Ms")}");
        var counts = Json.Obj(stats, "counts");
        var runs = counts.ValueKind == JsonValueKind.Object
            ? string.Join(", ", counts.EnumerateObject().OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => $"{c.Name} {c.Value.GetRawText()}"))
            : "";
        yield return ("runs (7d)", runs.Length == 0 ? "none" : runs);
        yield return ("flips (7d)", Json.Str(stats, "flips"));
    }
}
