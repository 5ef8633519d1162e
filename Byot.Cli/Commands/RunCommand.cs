using System.CommandLine;
using Byot.Cli.Api;
using Byot.Cli.Output;

namespace Byot.Cli.Commands;

/// <summary><c>byot run TEST [--follow]</c>: start a run now; with --follow, stream its log and exit with its outcome
/// (0 passed, 1 failed, 2 infra_error / timed_out / oom / cancelled).</summary>
internal static class RunCommand
{
    public static Command Create(CommandKit kit)
    {
        var test = new Argument<string>("TEST") { Description = "Test id or unique name." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Stream the log live and exit with the run's outcome." };
        var command = new Command("run", "Run a test now.") { test, follow };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var renderer = kit.Renderer(parse);
            using var client = kit.Client();
            var id = await TestResolver.ResolveAsync(client, parse.GetValue(test)!, cancellationToken);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"run/{id}");
            var run = await client.SendJsonAsync(request, cancellationToken);
            var runId = Json.Str(run, "id");
            if (!parse.GetValue(follow))
            {
                if (renderer.Json)
                {
                    renderer.WriteJson(run);
                }
                else
                {
                    renderer.Line($"run {runId} {Json.Str(run, "status")}; follow it with `byot logs {runId} --follow`");
                }

                return ExitCodes.Ok;
            }

            return await LogsCommand.FollowAsync(client, renderer, kit.Host, runId, cancellationToken);
        });
        return command;
    }
}
