using System.Text.RegularExpressions;
using Xunit;

namespace Byot.Tests.Deploy;

/// <summary>docs/reliability.md's faults-and-bad-inputs table names, for every row, the test classes that prove it:
/// each one it names must exist, and the rows must be numbered 1 to N without a gap.</summary>
public sealed partial class FaultsTableTests
{
    [Fact]
    public void Every_test_class_the_faults_table_names_exists_and_rows_have_no_gap()
    {
        var doc = Repository.ReadText("docs", "reliability.md");
        var table = doc[doc.IndexOf("## Faults and bad inputs", StringComparison.Ordinal)..];
        var rows = table.Split('\n').Where(l => Row().IsMatch(l)).ToList();
        var classes = typeof(FaultsTableTests).Assembly.GetTypes().Select(t => t.FullName!).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(Enumerable.Range(1, rows.Count), rows.Select(r => int.Parse(Row().Match(r).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
        var named = rows.SelectMany(r => TestClass().Matches(r).Select(m => m.Groups[1].Value)).ToList();
        Assert.NotEmpty(named);
        var missing = named.Where(n => !classes.Contains("Byot.Tests." + n.Replace('/', '.'))).ToList();
        Assert.True(missing.Count == 0, "named in docs/reliability.md but not a test class: " + string.Join(", ", missing));
    }

    [GeneratedRegex(@"^\| (\d+) \|")]
    private static partial Regex Row();

    [GeneratedRegex(@"`([A-Z][A-Za-z]+/[A-Z][A-Za-z]+Tests)`")]
    private static partial Regex TestClass();
}
