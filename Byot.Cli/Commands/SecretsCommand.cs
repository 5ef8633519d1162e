using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using Byot.Cli.Api;
using Byot.Cli.Output;

namespace Byot.Cli.Commands;

/// <summary><c>byot secrets set TEST NAME</c> (value from stdin, never echoed), <c>ls</c> and <c>rm</c>.</summary>
internal static class SecretsCommand
{
    public static Command Create(CommandKit kit)
    {
        var command = new Command("secrets", "Manage a test's write-only secrets (env vars inside its container).");
        command.Subcommands.Add(Set(kit));
        command.Subcommands.Add(List(kit));
        command.Subcommands.Add(Remove(kit));
        return command;
    }

    private static Command Set(CommandKit kit)
    {
        var test = new Argument<string>("TEST") { Description = "Test id or unique name." };
        var name = new Argument<string>("NAME") { Description = "Secret name, e.g. API_TOKEN." };
        var command = new Command("set", "Set a secret; the value is read from stdin and never echoed.") { test, name };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = kit.Client();
            var id = await TestResolver.ResolveAsync(client, parse.GetValue(test)!, cancellationToken);
            if (kit.Host.InputIsTerminal)
            {
                kit.Host.Error.Write($"Value for {parse.GetValue(name)}: ");
            }

            var value = kit.Host.ReadSecret();
            if (value.Length == 0)
            {
                throw CliException.BadInput("The secret value is empty; pipe it in: `printf %s \"$TOKEN\" | byot secrets set TEST NAME`.");
            }

            await PutAsync(client, id, parse.GetValue(name)!, value, cancellationToken);
            kit.Host.Out.WriteLine($"secret {parse.GetValue(name)} set on test {id}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CommandKit kit)
    {
        var test = new Argument<string>("TEST") { Description = "Test id or unique name." };
        var command = new Command("ls", "List a test's secret names (values are never shown).") { test };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var renderer = kit.Renderer(parse);
            using var client = kit.Client();
            var id = await TestResolver.ResolveAsync(client, parse.GetValue(test)!, cancellationToken);
            var list = await client.GetJsonAsync($"tests/{id}/secrets", cancellationToken);
            if (renderer.Json)
            {
                renderer.WriteJson(list);
                return ExitCodes.Ok;
            }

            foreach (var secret in Names(list))
            {
                renderer.Line(secret);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CommandKit kit)
    {
        var test = new Argument<string>("TEST") { Description = "Test id or unique name." };
        var name = new Argument<string>("NAME") { Description = "Secret name." };
        var command = new Command("rm", "Delete a secret.") { test, name };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = kit.Client();
            var id = await TestResolver.ResolveAsync(client, parse.GetValue(test)!, cancellationToken);
            using var request = new HttpRequestMessage(HttpMethod.Delete, $"tests/{id}/secrets/{ByotClient.Escape(parse.GetValue(name)!)}");
            (await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken)).Dispose();
            kit.Host.Out.WriteLine($"secret {parse.GetValue(name)} deleted from test {id}");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static async Task PutAsync(ByotClient client, string testId, string name, string value, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"tests/{testId}/secrets/{ByotClient.Escape(name)}")
        {
            Content = new StringContent(value, new UTF8Encoding(false), new MediaTypeHeaderValue("text/plain")),
        };
        (await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken)).Dispose();
    }

    /// <summary>Secret names from the list answer (an array of names or of objects with a name).</summary>
    public static IEnumerable<string> Names(System.Text.Json.JsonElement list)
    {
        var items = list.ValueKind == System.Text.Json.JsonValueKind.Object && list.TryGetProperty("secrets", out var inner) ? inner : list;
        return items.ValueKind != System.Text.Json.JsonValueKind.Array
            ? []
            : items.EnumerateArray().Select(i => i.ValueKind == System.Text.Json.JsonValueKind.String ? i.GetString()! : Json.Str(i, "name"));
    }
}
