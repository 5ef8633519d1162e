using System.CommandLine;
using System.Globalization;
using Byot.Cli.Api;
using Byot.Cli.Output;

namespace Byot.Cli.Commands;

/// <summary><c>byot history TEST</c>: the test's latest runs, newest first.</summary>
internal static class HistoryCommand
{
    public static Command Create(CommandKit kit)
    {
        var test = new Argument<string>("TEST") { Description = "Test id or unique name." };
        var limit = new Option<int>("--limit", "-n") { Description = "How many runs (1-200).", DefaultValueFactory = _ => 20 };
        var command = new Command("history", "List a test's latest runs.") { test, limit };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var renderer = kit.Renderer(parse);
            using var client = kit.Client();
            var id = await TestResolver.ResolveAsync(client, parse.GetValue(test)!, cancellationToken);
            var page = await client.GetJsonAsync(string.Create(CultureInfo.InvariantCulture, $"tests/{id}/runs?limit={parse.GetValue(limit)}"), cancellationToken);
            if (renderer.Json)
            {
                renderer.WriteJson(page);
                return ExitCodes.Ok;
            }

            var rows = page.GetProperty("runs").EnumerateArray().Select(r => (IReadOnlyList<string>)
            [
                Json.Str(r, "id"), Json.Str(r, "trigger"), Json.Str(r, "status"), Tries(r), Json.Str(r, "exitCode") is { Length: > 0 } e ? e : "-",
                Json.Str(r, "queuedAt"), Json.Duration(r, "durationMs") is { Length: > 0 } d ? d : "-",
            ]).ToList();
            if (rows.Count == 0)
            {
                renderer.Info("No runs yet: `byot run " + parse.GetValue(test) + "` starts one.");
                return ExitCodes.Ok;
            }

            renderer.Table(["RUN", "TRIGGER", "STATUS", "TRIES", "EXIT", "QUEUED", "DURATION"], rows, Renderer.StateColour);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The attempts the run made (its test's retries), and <c>flaky</c> when it passed only on a retry.</summary>
    internal static string Tries(System.Text.Json.JsonElement run)
    {
        var tries = Json.Str(run, "tries") is { Length: > 0 } t ? t : "1";
        return Json.Str(run, "flaky") == "true" ? tries + " flaky" : tries;
    }
}
