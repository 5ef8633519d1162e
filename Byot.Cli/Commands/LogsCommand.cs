using System.CommandLine;
using System.Text.Json;
using Byot.Cli.Api;
using Byot.Cli.Output;
using Spectre.Console;

namespace Byot.Cli.Commands;

/// <summary><c>byot logs RUN [--follow]</c>: a run's log, or its live tail until the run ends.</summary>
internal static class LogsCommand
{
    public static Command Create(CommandKit kit)
    {
        var run = new Argument<string>("RUN") { Description = "Run id (from `byot run` or `byot history`)." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep streaming until the run ends; exit with its outcome." };
        var command = new Command("logs", "Print a run's log.") { run, follow };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var renderer = kit.Renderer(parse);
            var runId = parse.GetValue(run)!;
            if (!Guid.TryParse(runId, out _))
            {
                throw CliException.BadInput($"'{runId}' is not a run id; `byot history TEST` lists them.");
            }

            using var client = kit.Client();
            if (parse.GetValue(follow))
            {
                return await FollowAsync(client, renderer, kit.Host, runId, cancellationToken);
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, $"runs/{runId}/logs");
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                renderer.Line(line);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Streams the log (to stdout, or stderr with --json, where stdout gets the final run) and returns the
    /// exit code for the run's outcome.</summary>
    public static async Task<int> FollowAsync(ByotClient client, Renderer renderer, CliHost host, string runId, CancellationToken cancellationToken)
    {
        var sink = renderer.Json ? host.Error : host.Out;
        if (!renderer.Json)
        {
            host.Error.WriteLine($"following run {runId}");
        }

        var finished = await new LogFollower(client, line => sink.WriteLine(line)).FollowAsync(runId, cancellationToken);
        var status = Json.Str(finished, "status");
        if (renderer.Json)
        {
            renderer.WriteJson(finished);
        }
        else
        {
            var exit = finished.TryGetProperty("exitCode", out var code) && code.ValueKind == JsonValueKind.Number ? $" (exit {code.GetRawText()})" : "";
            var summary = $"run {runId} finished: {status}{exit}";
            if (renderer.Rich)
            {
                var colour = Renderer.StateColour(status) ?? "yellow";
                renderer.Console().MarkupLine($"[{colour}]{Markup.Escape(summary)}[/]");
            }
            else
            {
                renderer.Line(summary);
            }

            await FailedCasesAsync(client, renderer, runId, finished, cancellationToken);
        }

        return ExitCodes.ForRunStatus(status);
    }

    // Enough to see what broke; `byot cases` and GET /runs/{id}/cases have the rest.
    private const int FailedCasesShown = 20;

    /// <summary>The run's failed and errored cases (its last attempt's), name and first message line, after the summary.</summary>
    private static async Task FailedCasesAsync(ByotClient client, Renderer renderer, string runId, JsonElement run, CancellationToken cancellationToken)
    {
        var counts = Json.Obj(run, "cases");
        var failing = Count(counts, "failed") + Count(counts, "errored");
        if (failing == 0)
        {
            return;
        }

        var tries = Json.Str(run, "tries") is { Length: > 0 } t ? t : "1";
        var shown = new List<string>();
        foreach (var status in new[] { "failed", "errored" })
        {
            var page = await client.GetJsonAsync($"runs/{runId}/cases?status={status}&limit=500", cancellationToken);
            shown.AddRange(page.GetProperty("cases").EnumerateArray()
                .Where(c => Json.Str(c, "attempt") == tries)
                .Select(c => $"  ✗ {Json.Str(c, "key")}{(FirstLine(Json.Str(c, "message")) is { Length: > 0 } m ? ": " + m : "")}"));
        }

        renderer.Line($"{failing} failed case(s):");
        foreach (var line in shown.Take(FailedCasesShown))
        {
            renderer.Line(line);
        }

        if (failing > Math.Min(shown.Count, FailedCasesShown))
        {
            renderer.Line($"  … and {failing - Math.Min(shown.Count, FailedCasesShown)} more: `byot cases` or GET /runs/{runId}/cases?status=failed");
        }
    }

    private static int Count(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0;

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
