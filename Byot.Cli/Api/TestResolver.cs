using System.Text.Json;

namespace Byot.Cli.Api;

/// <summary>Turns what the user typed (a test id or a unique name) into a test id.</summary>
internal static class TestResolver
{
    public static async Task<string> ResolveAsync(ByotClient client, string test, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(test, out var id))
        {
            return id.ToString("D");
        }

        var list = await client.GetJsonAsync("tests", cancellationToken);
        var matches = list.EnumerateArray()
            .Select(s => s.GetProperty("test"))
            .Where(t => string.Equals(t.GetProperty("name").GetString(), test, StringComparison.Ordinal))
            .Select(t => t.GetProperty("id").GetString()!)
            .ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw CliException.BadInput($"Unknown test '{test}': no test has that id or name. `byot ls` lists them."),
            _ => throw CliException.BadInput($"Test name '{test}' is ambiguous; use one of the ids: {string.Join(", ", matches)}."),
        };
    }

    public static string Name(JsonElement test) => test.GetProperty("name").GetString() ?? "";
}
