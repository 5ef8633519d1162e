using System.Globalization;
using System.Reflection;
using Byot.Runner.Options;
using Byot.Shared.Options;
using Xunit;

namespace Byot.Tests.Deploy;

/// <summary>docs/deploy.md has one configuration table: every options class that binds a configuration section
/// (a <c>const string Section</c>) must have a row per property there, with the code's default where the table gives
/// one as a literal.</summary>
public sealed class ConfigurationTableTests
{
    private static readonly Assembly[] Assemblies =
    [
        typeof(DatabaseOptions).Assembly, typeof(RunnerOptions).Assembly, typeof(Byot.Functions.Http.HealthFunctions).Assembly,
    ];

    [Fact]
    public void Every_setting_of_every_options_class_is_in_the_table_with_its_default()
    {
        var rows = TableRows();
        var problems = new List<string>();
        var optionTypes = Assemblies.SelectMany(a => a.GetTypes())
            .Where(t => t.IsClass && t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true })
            .ToList();
        Assert.Contains(typeof(UploadOptions), optionTypes);
        Assert.Contains(typeof(RunnerOptions), optionTypes);

        foreach (var type in optionTypes)
        {
            var section = (string)type.GetField("Section")!.GetRawConstantValue()!;
            var defaults = Activator.CreateInstance(type)!;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                var key = $"{section}:{property.Name}";
                var row = rows.FirstOrDefault(r => r.Key == key || r.Key.StartsWith(key + ":", StringComparison.Ordinal));
                if (row.Key is null)
                {
                    problems.Add($"{key} ({type.Name}) has no row in docs/deploy.md");
                    continue;
                }

                var value = property.GetValue(defaults);
                if (row.Default is { } documented && value is IConvertible convertible)
                {
                    var actual = value is bool b ? (b ? "true" : "false") : convertible.ToString(CultureInfo.InvariantCulture);
                    if (documented != actual)
                    {
                        problems.Add($"{key}: the table says {documented}, the code's default is {actual}");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    /// <summary>The rule is written once, in the table's FUNCTIONS_REQUEST_BODY_SIZE_LIMIT row ("N × MaxArtifactBytes");
    /// every file that sets the host limit must follow it, or a too-large upload meets the host's empty 500.</summary>
    [Fact]
    public void The_host_body_limit_follows_the_documented_rule_everywhere_it_is_set()
    {
        var limit = TableRows().Single(r => r.Key == "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT");
        var rule = System.Text.RegularExpressions.Regex.Match(limit.Line, @"the rule: (\d+) × `Byot:Upload:MaxArtifactBytes`");
        Assert.True(rule.Success, "the FUNCTIONS_REQUEST_BODY_SIZE_LIMIT row must state the rule as 'the rule: N × `Byot:Upload:MaxArtifactBytes`'");
        var factor = long.Parse(rule.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(factor >= 2, "the host limit must sit well above BYOT's own limit");
        var byot = new UploadOptions().MaxArtifactBytes;
        Assert.Contains($"BYOT sets `{byot * factor}`", limit.Line, StringComparison.Ordinal);

        var local = System.Text.Json.JsonDocument.Parse(Repository.ReadText("local.settings.json.example")).RootElement.GetProperty("Values");
        Assert.Equal(factor * long.Parse(local.GetProperty("Byot__Upload__MaxArtifactBytes").GetString()!, CultureInfo.InvariantCulture),
            long.Parse(local.GetProperty("FUNCTIONS_REQUEST_BODY_SIZE_LIMIT").GetString()!, CultureInfo.InvariantCulture));

        var env = Repository.ReadText("deploy", "byot.env.example").Split('\n')
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#'))
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim(), StringComparer.Ordinal);
        Assert.Equal(byot, long.Parse(env["BYOT_MAX_ARTIFACT_BYTES"], CultureInfo.InvariantCulture));
        Assert.Equal(factor * byot, long.Parse(env["BYOT_HOST_BODY_LIMIT_BYTES"], CultureInfo.InvariantCulture));

        var compose = Repository.ReadText("deploy", "docker-compose.full.yml");
        Assert.Contains($"FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: \"${{BYOT_HOST_BODY_LIMIT_BYTES:-{factor * byot}}}\"", compose, StringComparison.Ordinal);
        Assert.Contains($"Byot__Upload__MaxArtifactBytes: \"${{BYOT_MAX_ARTIFACT_BYTES:-{byot}}}\"", compose, StringComparison.Ordinal);

        Assert.Contains($"{{ name: 'FUNCTIONS_REQUEST_BODY_SIZE_LIMIT', value: string(maxArtifactBytes * {factor}) }}", Repository.ReadText("deploy", "azure", "main.bicep"), StringComparison.Ordinal);
        Assert.Equal(byot.ToString(CultureInfo.InvariantCulture), TableRows().Single(r => r.Key == "Byot:Upload:MaxArtifactBytes").Default);
    }

    /// <summary>Rows whose first cell is a backticked key; the default is the second cell when it is exactly one
    /// backticked literal, otherwise null (a prose default such as "the machine's host name").</summary>
    private static List<(string Key, string? Default, string Line)> TableRows()
    {
        var rows = new List<(string, string?, string)>();
        foreach (var line in Repository.ReadText("docs", "deploy.md").Split('\n'))
        {
            if (!line.StartsWith("| `", StringComparison.Ordinal))
            {
                continue;
            }

            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            var key = cells[1].Split('`')[1];
            var cell = cells[2];
            string? literal = cell.Length > 2 && cell[0] == '`' && cell[^1] == '`' && cell.Count(c => c == '`') == 2 ? cell[1..^1] : null;
            rows.Add((key, literal, line));
        }

        return rows;
    }
}
