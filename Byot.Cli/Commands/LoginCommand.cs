using System.CommandLine;
using Byot.Cli.Api;
using Byot.Cli.Config;

namespace Byot.Cli.Commands;

/// <summary><c>byot login</c>: check the API URL and function key, then store them owner-only in the config dir.</summary>
internal static class LoginCommand
{
    public static Command Create(CommandKit kit)
    {
        var url = new Option<string?>("--url") { Description = "The BYOT API, e.g. https://byot-func.azurewebsites.net (default: BYOT_URL or the stored one)." };
        var key = new Option<string?>("--key") { Description = "The function key (default: read from stdin, without echo on a terminal)." };
        var noVerify = new Option<bool>("--no-verify") { Description = "Store without calling the API." };
        var command = new Command("login", "Store the API URL and function key for later commands.") { url, key, noVerify };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var host = kit.Host;
            var store = new ConfigStore(host);
            var stored = store.ReadStored();
            var apiUrl = parse.GetValue(url) ?? host.Environment("BYOT_URL") ?? stored?.Url
                ?? throw CliException.BadInput("Give the API URL: `byot login --url https://<app>.azurewebsites.net`.");
            var apiKey = parse.GetValue(key);
            if (apiKey is null)
            {
                if (host.InputIsTerminal)
                {
                    host.Error.Write("Function key: ");
                }

                apiKey = host.ReadSecret().Trim();
            }

            if (apiKey.Length == 0)
            {
                throw CliException.BadInput("The function key is empty: pass --key or type it on stdin.");
            }

            var config = new CliConfig(apiUrl.TrimEnd('/'), apiKey);
            var count = "";
            if (!parse.GetValue(noVerify))
            {
                using var client = new ByotClient(config);
                var tests = await client.GetJsonAsync("tests", cancellationToken);
                count = $" ({tests.GetArrayLength()} tests)";
            }

            store.Save(config);
            host.Out.WriteLine($"Logged in to {config.Url}{count}; saved to {store.FilePath}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
