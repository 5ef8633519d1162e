using System.Text.Json;
using System.Text.RegularExpressions;
using RuntimeNames = Byot.Shared.Domain.Runtimes;
using Xunit;

namespace Byot.Tests.Runtimes;

/// <summary>Where runtimes are listed, they agree with the code: the README's runtime table with the Runner's
/// appsettings (image, single-file and bundle default, local image), and the upload's OpenAPI enum and the CLI's
/// help with <see cref="Byot.Shared.Domain.Runtimes.Allowed"/>.</summary>
public sealed partial class RuntimeListTests
{
    [Fact]
    public void Readme_runtime_table_matches_the_runner_defaults_and_local_images()
    {
        var rows = ReadmeRows();
        var defaults = DocumentedRuntimes.Defaults();
        var local = DocumentedRuntimes.LocalImages();
        var problems = new List<string>();
        Assert.Equal(RuntimeNames.Allowed.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(RuntimeNames.Allowed.Order(StringComparer.Ordinal), defaults.Keys.Order(StringComparer.Ordinal));

        foreach (var (name, runtime) in defaults.Where(d => d.Key != RuntimeNames.Image))
        {
            var row = rows[name];
            var bundle = runtime.BundleCommand.Count > 0 ? runtime.BundleCommand : runtime.Command;
            Check(name, "default image", FirstCode(row[1]), runtime.Image);
            Check(name, "single file", FirstCode(row[2]), Render(runtime.Command));
            Check(name, "bundle", FirstCode(row[3]), Render(bundle));
            Check(name, "local image", FirstCode(row[4]), local.GetValueOrDefault(name));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));

        void Check(string name, string column, string? documented, string? actual)
        {
            if (documented != actual)
            {
                problems.Add($"README runtime table, {name}, {column}: says '{documented}', the Runner has '{actual}'");
            }
        }
    }

    [Fact]
    public void Upload_openapi_enum_and_cli_help_name_every_runtime()
    {
        using var openapi = JsonDocument.Parse(Repository.ReadText("Byot.Functions", "Http", "openapi.json"));
        var enums = new List<string[]>();
        Collect(openapi.RootElement, enums);
        Assert.NotEmpty(enums);
        foreach (var values in enums)
        {
            Assert.Equal(RuntimeNames.Allowed.Order(StringComparer.Ordinal), values.Order(StringComparer.Ordinal));
        }

        var push = Repository.ReadText("Byot.Cli", "Commands", "PushCommand.cs");
        var help = PushRuntimeHelp().Match(push);
        Assert.True(help.Success, "PushCommand has no --runtime description");
        Assert.Equal(RuntimeNames.Allowed.Order(StringComparer.Ordinal), RuntimeWord().Matches(help.Groups[1].Value).Select(m => m.Value).Except(["or"]).Order(StringComparer.Ordinal));
    }

    /// <summary>How the README writes a command: arguments joined by spaces, one with a space in single quotes.</summary>
    private static string Render(IEnumerable<string> command) =>
        string.Join(' ', command.Select(part => part.Contains(' ', StringComparison.Ordinal) ? $"'{part}'" : part));

    private static string? FirstCode(string cell)
    {
        var match = Code().Match(cell);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>Runtime name to the row's cells, from the table under "## How a test runs".</summary>
    private static Dictionary<string, string[]> ReadmeRows()
    {
        var readme = Repository.ReadText("README.md");
        var section = readme[readme.IndexOf("## How a test runs", StringComparison.Ordinal)..];
        var rows = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in section.Split('\n').SkipWhile(l => !l.StartsWith("| runtime |", StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Trim().Trim('|').Split(" | ").Select(c => c.Trim()).ToArray();
            foreach (Match name in Code().Matches(cells[0]))
            {
                rows[name.Groups[1].Value] = cells;
            }
        }

        return rows;
    }

    private static void Collect(JsonElement element, List<string[]> enums)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "runtime" && property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("enum", out var values))
                {
                    enums.Add([.. values.EnumerateArray().Select(v => v.GetString()!)]);
                }

                Collect(property.Value, enums);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Collect(item, enums);
            }
        }
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();

    [GeneratedRegex("\"--runtime\".*?Description = \"([^\"]+)\"")]
    private static partial Regex PushRuntimeHelp();

    [GeneratedRegex("[a-z0-9]+")]
    private static partial Regex RuntimeWord();
}
