using System.Text.RegularExpressions;
using Byot.Tests.Runtimes;
using Xunit;

namespace Byot.Tests.CaseRuns;

/// <summary>Suites nobody on this project wrote, each run by BYOT in a real hardened container, and every case they
/// report found, counted and named: go-cmp's tests as a Go test binary (go runtime), @fastify/error's node:test suite
/// as TAP (node), websocket-client's pytest suite writing JUnit XML to /artifacts (python).</summary>
public sealed partial class RealSuiteCaseTests(ByotEnvironment environment) : LocalRuntimeTestBase(environment)
{
    [Fact]
    public async Task Go_cmps_own_suite_reports_each_of_its_300_cases_subtests_included()
    {
        var (run, log) = await RunAsync("go", CaseSuites.GoCmpBundle(), "go-cmp.tar.gz", ("command", """["{app}/cmp.test","-test.v"]"""));
        Assert.True(run.GetProperty("status").GetString() == "passed", run + "\n" + log);

        var cases = await Kit.Client.AllRunCasesAsync(run.GetProperty("id").GetGuid());
        // The suite's own verdict lines, counted in the raw log, are the cases BYOT found, one for one.
        var verdicts = GoVerdict().Matches(log).Select(m => m.Groups["test"].Value).ToList();
        Assert.Equal(300, verdicts.Count);
        Assert.Equal(verdicts.Order(StringComparer.Ordinal), cases.Select(c => c.Key).Order(StringComparer.Ordinal));
        Assert.All(cases, c => Assert.Equal("passed", c.Status));
        Assert.Contains(cases, c => c.Key == "TestDiff");
        Assert.Contains(cases, c => c.Key == "ExampleOption_equalNaNs");
        Assert.Contains(cases, c => c.Key.StartsWith("TestOptionPanic/", StringComparison.Ordinal));
        var counts = run.GetProperty("cases");
        Assert.Equal((300, 0, 0, 0, 300), (counts.GetProperty("passed").GetInt32(), counts.GetProperty("failed").GetInt32(),
            counts.GetProperty("skipped").GetInt32(), counts.GetProperty("errored").GetInt32(), counts.GetProperty("total").GetInt32()));
    }

    [Fact]
    public async Task A_go_test_binary_alone_runs_verbose_by_default_and_names_the_case_that_broke()
    {
        // No command: the go runtime's default adds -test.v to a *.test binary. Without its testdata/ beside it,
        // go-cmp's TestDiff panics, which ends the binary: the cases before it passed, TestDiff is the one that broke.
        var (run, log) = await RunAsync("go", CaseSuites.GoCmpBinary(), "cmp.test");
        Assert.True(run.GetProperty("status").GetString() == "failed", run + "\n" + log);

        var cases = await Kit.Client.AllRunCasesAsync(run.GetProperty("id").GetGuid());
        var broken = Assert.Single(cases, c => c.Status != "passed");
        Assert.Equal(("TestDiff", "errored"), (broken.Key, broken.Status));
        Assert.Contains("panic: open testdata/diffs: no such file or directory", broken.Case.GetProperty("message").GetString() ?? "", StringComparison.Ordinal);
        var passed = GoVerdict().Matches(log).Count(m => m.Groups["status"].Value == "PASS");
        Assert.Equal(passed, cases.Count(c => c.Status == "passed"));
        Assert.Equal(passed, run.GetProperty("cases").GetProperty("passed").GetInt32());
        Assert.Equal(1, run.GetProperty("cases").GetProperty("errored").GetInt32());
    }

    [Fact]
    public async Task Fastify_errors_node_test_suite_as_tap_reports_its_27_cases()
    {
        var (run, log) = await RunAsync("node", CaseSuites.FastifyError(), "fastify-error.tar.gz",
            ("command", """["node","--test","--test-reporter=tap","test/index.test.js","test/rfc9457.test.js"]"""));
        Assert.True(run.GetProperty("status").GetString() == "passed", run + "\n" + log);

        var cases = await Kit.Client.AllRunCasesAsync(run.GetProperty("id").GetGuid());
        Assert.Equal(27, cases.Count);
        Assert.All(cases, c => Assert.Equal("passed", c.Status));
        Assert.Contains(cases, c => c.Key == "Create error with zero parameter");
        Assert.Contains(cases, c => c.Key == "Create error with 2 parameters set to undefined");
        Assert.Equal(27, cases.Select(c => c.Key).Distinct().Count());
        Assert.Equal(27, run.GetProperty("cases").GetProperty("passed").GetInt32());
    }

    [Fact]
    public async Task Websocket_clients_pytest_suite_writing_junit_to_artifacts_reports_61_cases()
    {
        var (run, log) = await RunAsync("python", CaseSuites.WebsocketWithPytest(), "websocket-tests.tar.gz",
            ("command", """["python3","-B","-m","pytest","-p","no:cacheprovider","websocket/tests","--junitxml=/artifacts/pytest.xml"]"""));
        Assert.True(run.GetProperty("status").GetString() == "passed", run + "\n" + log);

        var cases = await Kit.Client.AllRunCasesAsync(run.GetProperty("id").GetGuid());
        Assert.Equal(61, cases.Count);
        Assert.Equal(38, cases.Count(c => c.Status == "passed"));
        Assert.Equal(23, cases.Count(c => c.Status == "skipped"));
        Assert.Contains(cases, c => c.Key == "websocket.tests.test_url.UrlTest › testParseUrl");
        Assert.True(log.Contains("38 passed, 23 skipped", StringComparison.Ordinal), log);
        Assert.Equal(61, run.GetProperty("cases").GetProperty("total").GetInt32());
    }

    [GeneratedRegex(@"\[stdout\]\s*--- (?<status>PASS|FAIL|SKIP): (?<test>\S+) \(")]
    private static partial Regex GoVerdict();
}
