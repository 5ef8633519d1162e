using System.Text.RegularExpressions;
using Byot.Shared.Domain;
using Byot.Shared.Storage;
using Byot.Tests.Deploy;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>Which results count is defined once in the domain and once as SQL built from it; no query in the
/// production code spells the list again.</summary>
public sealed partial class CountedStatusesTests
{
    [Theory]
    [InlineData(RunStatus.Passed, false, true)]
    [InlineData(RunStatus.Failed, true, true)]
    [InlineData(RunStatus.TimedOut, true, true)]
    [InlineData(RunStatus.Oom, true, true)]
    [InlineData(RunStatus.InfraError, false, false)]
    [InlineData(RunStatus.Cancelled, false, false)]
    [InlineData(RunStatus.Skipped, false, false)]
    [InlineData(RunStatus.Queued, false, false)]
    [InlineData(RunStatus.Running, false, false)]
    public void Only_failed_timed_out_and_oom_count_against_a_test_and_passes_count_for_it(RunStatus status, bool failure, bool counted)
    {
        Assert.Equal(failure, status.IsFailure());
        Assert.Equal(counted, status.IsCounted());
    }

    [Fact]
    public void The_SQL_lists_are_the_domain_lists()
    {
        Assert.Equal("('failed', 'timed_out', 'oom')", StatusSql.Failures);
        Assert.Equal("('passed', 'failed', 'timed_out', 'oom')", StatusSql.Counted);
        Assert.Equal("('passed', 'failed', 'timed_out', 'oom', 'infra_error')", StatusSql.Ran);
    }

    [Fact]
    public void No_production_query_spells_the_failure_statuses_itself()
    {
        var offenders = new List<string>();
        foreach (var project in new[] { "Byot.Shared", "Byot.Functions", "Byot.Runner" })
        {
            foreach (var file in Directory.EnumerateFiles(Repository.Path(project), "*.cs", SearchOption.AllDirectories)
                         .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    if (SqlFailureLiteral().IsMatch(lines[i]))
                    {
                        offenders.Add($"{Path.GetRelativePath(Repository.Root, file)}:{i + 1}: {lines[i].Trim()}");
                    }
                }
            }
        }

        Assert.True(offenders.Count == 0, "use StatusSql (Byot.Shared/Storage/StatusSql.cs) instead:\n" + string.Join('\n', offenders));
    }

    // A SQL string literal of a status only a failure has; 'failed' alone is also a notification status.
    [GeneratedRegex("'(timed_out|oom)'")]
    private static partial Regex SqlFailureLiteral();
}
