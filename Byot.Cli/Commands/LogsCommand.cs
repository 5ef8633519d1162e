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
        }

        return ExitCodes.ForRunStatus(status);
    }
}
