using System.CommandLine;
using Byot.Cli.Output;

namespace Byot.Cli.Commands;

/// <summary><c>byot ls</c>: every test with its schedule and state.</summary>
internal static class ListCommand
{
    public static Command Create(CommandKit kit)
    {
        var command = new Command("ls", "List tests with their schedule and last result.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var renderer = kit.Renderer(parse);
            using var client = kit.Client();
            var list = await client.GetJsonAsync("tests", cancellationToken);
            if (renderer.Json)
            {
                renderer.WriteJson(list);
                return ExitCodes.Ok;
            }

            var rows = list.EnumerateArray().Select(s =>
            {
                var test = s.GetProperty("test");
                var last = Json.Obj(s, "lastRun");
                var schedule = Json.Obj(test, "schedule");
                return (IReadOnlyList<string>)
                [
                    Json.Str(test, "name"), Json.Str(test, "id"), Json.Str(test, "runtime"), Json.Str(test, "severity"),
                    Json.Str(schedule, "expression") is { Length: > 0 } e ? e : "-", Json.Str(s, "state"),
                    Json.Str(last, "finishedAt") is { Length: > 0 } at ? at : "-",
                ];
            }).ToList();
            if (rows.Count == 0)
            {
                renderer.Info("No tests yet: `byot push` or `byot deploy` creates one.");
                return ExitCodes.Ok;
            }

            renderer.Table(["NAME", "ID", "RUNTIME", "SEVERITY", "SCHEDULE", "STATE", "LAST RUN"], rows, Renderer.StateColour);
            return ExitCodes.Ok;
        });
        return command;
    }
}
