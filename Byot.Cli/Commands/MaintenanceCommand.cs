using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Byot.Cli.Api;
using Byot.Cli.Output;

namespace Byot.Cli.Commands;

/// <summary><c>byot maintenance ls | create NAME | update ID | rm ID</c>: maintenance windows over the API
/// (docs/maintenance.md). The CLI only shapes the request; the API checks the window whole and names the field it
/// refuses, so the rules live in one place.</summary>
internal static class MaintenanceCommand
{
    public static Command Create(CommandKit kit)
    {
        var command = new Command("maintenance", "Manage maintenance windows: planned work that pages nobody (mute) or skips runs (pause).");
        command.Subcommands.Add(List(kit));
        command.Subcommands.Add(CreateWindow(kit));
        command.Subcommands.Add(Update(kit));
        command.Subcommands.Add(Remove(kit));
        return command;
    }

    private static Command List(CommandKit kit)
    {
        var command = new Command("ls", "List maintenance windows with the occurrence in force now or the next one.");
        command.Aliases.Add("list");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var renderer = kit.Renderer(parse);
            using var client = kit.Client();
            var list = await client.GetJsonAsync("maintenance", cancellationToken);
            if (renderer.Json)
            {
                renderer.WriteJson(list);
                return ExitCodes.Ok;
            }

            var rows = list.EnumerateArray().Select(v => (IReadOnlyList<string>)
            [
                Json.Str(v.GetProperty("window"), "id"), Json.Str(v.GetProperty("window"), "name"), Json.Str(v.GetProperty("window"), "mode"),
                Schedule(v.GetProperty("window")), Covers(v.GetProperty("window")), When(v),
            ]).ToList();
            if (rows.Count == 0)
            {
                renderer.Info("No maintenance windows: `byot maintenance create NAME --start … --end … --tag …` adds one.");
                return ExitCodes.Ok;
            }

            renderer.Table(["ID", "NAME", "MODE", "SCHEDULE", "COVERS", "NOW / NEXT (UTC)"], rows);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateWindow(CommandKit kit)
    {
        var name = new Argument<string>("NAME") { Description = "What the work is; skipped runs and the status page name the window by it." };
        var fields = new WindowOptions();
        var command = new Command("create", "Create a window: one-off (--start, --end) or recurring (--cron or --days and --at, with --duration).") { name };
        fields.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = kit.Client();
            var body = await fields.BodyAsync(parse, client, cancellationToken);
            foreach (var unset in body.Where(f => f.Value is null).Select(f => f.Key).ToList())
            {
                // A new window has nothing to clear.
                body.Remove(unset);
            }

            body["name"] = parse.GetValue(name);
            body["mode"] ??= "mute";
            var created = await SendAsync(client, HttpMethod.Post, "maintenance", body, cancellationToken);
            return Written(kit, parse, created, "created");
        });
        return command;
    }

    private static Command Update(CommandKit kit)
    {
        var id = new Argument<string>("ID") { Description = "The window's id (`byot maintenance ls`)." };
        var name = new Option<string?>("--name") { Description = "A new name." };
        var fields = new WindowOptions();
        var command = new Command("update", "Change a window: only the options given change; the window that results is checked whole.") { id, name };
        fields.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = kit.Client();
            var body = await fields.BodyAsync(parse, client, cancellationToken);
            if (parse.GetValue(name) is { } newName)
            {
                body["name"] = newName;
            }

            if (body.Count == 0)
            {
                throw CliException.BadInput("Nothing to change: give at least one option, e.g. `--end 2026-12-06T02:00:00Z` (see `byot maintenance update --help`).");
            }

            var updated = await SendAsync(client, HttpMethod.Patch, $"maintenance/{ByotClient.Escape(parse.GetValue(id)!)}", body, cancellationToken);
            return Written(kit, parse, updated, "updated");
        });
        return command;
    }

    private static Command Remove(CommandKit kit)
    {
        var id = new Argument<string>("ID") { Description = "The window's id (`byot maintenance ls`)." };
        var command = new Command("rm", "Delete a window; what it did before stays recorded.") { id };
        command.Aliases.Add("delete");
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = kit.Client();
            using var request = new HttpRequestMessage(HttpMethod.Delete, $"maintenance/{ByotClient.Escape(parse.GetValue(id)!)}");
            (await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken)).Dispose();
            kit.Host.Out.WriteLine($"maintenance window {parse.GetValue(id)} deleted");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static async Task<JsonElement> SendAsync(ByotClient client, HttpMethod method, string path, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = new StringContent(body.ToJsonString(), new UTF8Encoding(false), new MediaTypeHeaderValue(method == HttpMethod.Patch ? "application/merge-patch+json" : "application/json")),
        };
        return await client.SendJsonAsync(request, cancellationToken);
    }

    private static int Written(CommandKit kit, ParseResult parse, JsonElement view, string verb)
    {
        var renderer = kit.Renderer(parse);
        if (renderer.Json)
        {
            renderer.WriteJson(view);
            return ExitCodes.Ok;
        }

        var window = view.GetProperty("window");
        renderer.Line($"maintenance window {Json.Str(window, "id")} {verb}: {Json.Str(window, "name")} ({Json.Str(window, "mode")}, {Schedule(window)}; {When(view)})");
        return ExitCodes.Ok;
    }

    /// <summary>When the window happens, as its definition says it.</summary>
    public static string Schedule(JsonElement w) => Json.Str(w, "recurrence") switch
    {
        "once" => $"{Json.Str(w, "startsAt")} to {Json.Str(w, "endsAt")}",
        "cron" => $"cron '{Json.Str(w, "cron")}' for {Json.Str(w, "durationMinutes")} min ({Json.Str(w, "timeZone")})",
        _ => $"{string.Join(",", Strings(w, "days"))} at {Json.Str(w, "start")} for {Json.Str(w, "durationMinutes")} min ({Json.Str(w, "timeZone")})",
    };

    private static string Covers(JsonElement w) =>
        string.Join(" ", Strings(w, "tags").Select(t => "tag " + t).Concat(Strings(w, "tests").Select(t => "test " + t[..Math.Min(8, t.Length)])));

    private static string When(JsonElement view) =>
        view.TryGetProperty("current", out var now) && now.ValueKind == JsonValueKind.Object ? $"now, until {Json.Str(now, "end")}"
        : view.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.Object ? $"next {Json.Str(next, "start")}"
        : "over";

    private static IEnumerable<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().Select(x => x.GetString() ?? "") : [];
}
