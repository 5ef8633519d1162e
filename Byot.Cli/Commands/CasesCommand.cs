using System.CommandLine;
using Byot.Cli.Api;
using Byot.Cli.Output;

namespace Byot.Cli.Commands;

/// <summary><c>byot cases TEST [--failed]</c>: the test's cases over its recent runs on the current artifact version:
/// last status, pass rate, flaky state and quarantine.</summary>
internal static class CasesCommand
{
    public static Command Create(CommandKit kit)
    {
        var test = new Argument<string>("TEST") { Description = "Test id or unique name." };
        var failed = new Option<bool>("--failed") { Description = "Only cases whose last status is failed or errored." };
        var command = new Command("cases", "List a test's cases: last status, pass rate, flaky, quarantined.") { test, failed };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var renderer = kit.Renderer(parse);
            using var client = kit.Client();
            var id = await TestResolver.ResolveAsync(client, parse.GetValue(test)!, cancellationToken);
            var view = await client.GetJsonAsync($"tests/{id}/cases", cancellationToken);
            var cases = view.GetProperty("cases").EnumerateArray()
                .Where(c => !parse.GetValue(failed) || Json.Str(c, "lastStatus") is "failed" or "errored")
                .ToList();
            if (renderer.Json)
            {
                renderer.WriteJson(cases);
                return ExitCodes.Ok;
            }

            if (cases.Count == 0)
            {
                renderer.Info(parse.GetValue(failed) ? "No failing cases in the last run of each case." : "No cases reported yet on this version: BYOT reads JUnit XML under /artifacts, go test and TAP output (docs/cases.md).");
                return ExitCodes.Ok;
            }

            var rows = cases.Select(c => (IReadOnlyList<string>)
            [
                Json.Str(c, "key"), Json.Str(c, "lastStatus"), Json.Percent(c, "passRate") + " of " + Json.Str(c, "runs"), Json.Str(c, "state"),
                Json.Obj(c, "quarantined") is { ValueKind: System.Text.Json.JsonValueKind.Object } q
                    ? Json.Str(q, "reason") + (Json.Str(q, "until") is { Length: > 0 } until ? " (until " + until + ")" : "")
                    : "-",
            ]).ToList();
            renderer.Table(["CASE", "LAST", "PASS RATE", "FLAKY", "QUARANTINED"], rows, Renderer.StateColour);
            return ExitCodes.Ok;
        });
        return command;
    }
}
