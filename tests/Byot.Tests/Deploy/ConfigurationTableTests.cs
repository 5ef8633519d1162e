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

    [Fact]
    public void The_request_body_limit_row_matches_the_upload_limit()
    {
        var rows = TableRows();
        var limit = rows.Single(r => r.Key == "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT");
        Assert.Contains($"BYOT sets `{new UploadOptions().MaxArtifactBytes}`", limit.Line, StringComparison.Ordinal);
        Assert.Equal(new UploadOptions().MaxArtifactBytes.ToString(CultureInfo.InvariantCulture), rows.Single(r => r.Key == "Byot:Upload:MaxArtifactBytes").Default);
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
