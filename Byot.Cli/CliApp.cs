using System.CommandLine;
using Byot.Cli.Commands;

namespace Byot.Cli;

/// <summary>The <c>byot</c> command tree and its entry point; tests call <see cref="RunAsync"/> in-process.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var json = new Option<bool>("--json") { Description = "Machine-readable JSON output.", Recursive = true };
        var kit = new CommandKit(host, json);
        var root = new RootCommand("byot: push, run, follow and deploy BYOT monitoring tests.")
        {
            LoginCommand.Create(kit),
            PushCommand.Create(kit),
            ListCommand.Create(kit),
            ShowCommand.Create(kit),
            RunCommand.Create(kit),
            LogsCommand.Create(kit),
            DeployCommand.Create(kit),
            HistoryCommand.Create(kit),
            CasesCommand.Create(kit),
            StatusCommand.Create(kit),
            SecretsCommand.Create(kit),
            MaintenanceCommand.Create(kit),
        };
        root.Options.Add(json);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await host.Error.WriteLineAsync("error: " + error.Message);
            }

            await host.Error.WriteLineAsync("Run `byot --help` for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = host.Out, Error = host.Error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (CliException e)
        {
            await host.Error.WriteLineAsync("error: " + e.Message);
            return e.ExitCode;
        }
    }
}
