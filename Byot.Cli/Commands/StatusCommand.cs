using System.CommandLine;
using Byot.Cli.Output;

namespace Byot.Cli.Commands;

/// <summary><c>byot status</c>: the status board (what business users see) in the terminal.</summary>
internal static class StatusCommand
{
    public static Command Create(CommandKit kit)
    {
        var command = new Command("status", "Show the green/red status board.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var renderer = kit.Renderer(parse);
            using var client = kit.Client();
            using var request = new HttpRequestMessage(HttpMethod.Get, "status.json");
            if (kit.Host.Environment("BYOT_STATUS_KEY") is { Length: > 0 } statusKey)
            {
                // A private status page (the default) takes its own key, not the function key.
                request.Headers.TryAddWithoutValidation("x-byot-status-key", statusKey);
            }

            var board = await client.SendJsonAsync(request, cancellationToken);
            if (renderer.Json)
            {
                renderer.WriteJson(board);
                return ExitCodes.Ok;
            }

            renderer.Line($"{Json.Str(board, "title")}: {Json.Str(board, "overall")} (at {Json.Str(board, "generatedAt")})");
            var rows = board.GetProperty("flows").EnumerateArray().Select(f => (IReadOnlyList<string>)
            [
                Json.Str(f, "name"), Json.Str(f, "state"), Json.Str(f, "severity"),
                Json.Percent(f, "uptime24h") is { Length: > 0 } u ? u : "-",
                Json.Str(f, "flaky") == "true" ? "flaky" : "",
                Json.Str(f, "reason"),
            ]).ToList();
            if (rows.Count > 0)
            {
                renderer.Table(["FLOW", "STATE", "SEVERITY", "UPTIME 24H", "FLAKY", "REASON"], rows, Renderer.StateColour);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
