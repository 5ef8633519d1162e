using System.Text;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.CaseRuns;

/// <summary>Reports that are large, broken or odd, each written by a real test in a real container: every case is
/// kept or counted, what cannot be read is a warning on the run, and the run's outcome is the exit code's alone
/// (docs/cases.md, docs/reliability.md).</summary>
public sealed class CaseReportFaultTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private static readonly (string, string) RunScript = ("command", """["/bin/sh","/app/run.sh"]""");
    private RunnerKit kit = null!;

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment);

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task A_junit_report_of_50000_cases_is_stored_whole()
    {
        var (runId, run) = await RunReportAsync(JUnit(50_000, failEvery: 1_000));

        Assert.Equal("passed", run.GetProperty("status").GetString());
        var counts = run.GetProperty("cases");
        Assert.Equal((49_950, 50, 50_000), (counts.GetProperty("passed").GetInt32(), counts.GetProperty("failed").GetInt32(), counts.GetProperty("total").GetInt32()));
        Assert.False(run.GetProperty("casesTruncated").GetBoolean());
        var failed = await kit.Client.AllRunCasesAsync(runId, "failed");
        Assert.Equal(50, failed.Count);
        Assert.Equal("checkout.Cart › case 999", failed[0].Key);
        Assert.Equal("expected 1, got 2", failed[0].Case.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Past_the_cap_cases_are_counted_not_kept_and_the_run_says_so()
    {
        // The class's own runner shares the queue: stopped, so the capped runner is the one that takes the run.
        await kit.StopRunnerAsync();
        await using var capped = await RunnerKit.StartAsync(environment, new Dictionary<string, string?> { ["Byot:Runner:MaxCasesPerRun"] = "100" });
        var testId = await capped.UploadAsync(ReportBundle(JUnit(250, failEvery: 0)), "shell", "report.tar.gz", RunScript);
        var run = await capped.Api.WaitForFinalAsync(await capped.Api.RunNowOkAsync(testId));

        Assert.Equal("passed", run.GetProperty("status").GetString());
        Assert.True(run.GetProperty("casesTruncated").GetBoolean());
        Assert.Equal(100, run.GetProperty("cases").GetProperty("total").GetInt32());
        Assert.Equal(100, (await capped.Client.AllRunCasesAsync(run.GetProperty("id").GetGuid())).Count);
    }

    [Fact]
    public async Task Malformed_xml_keeps_the_cases_before_it_warns_and_leaves_the_outcome_alone()
    {
        var broken = JUnit(3, failEvery: 0);
        broken = broken[..broken.LastIndexOf("<testcase", StringComparison.Ordinal)] + "<testcase name=\"cut";
        var (runId, run) = await RunReportAsync(broken);

        Assert.Equal("passed", run.GetProperty("status").GetString());
        var page = (await kit.Client.RunCasesAsync(runId.ToString())).Json;
        Assert.True(page.GetProperty("cases").GetArrayLength() == 2, page + "\n" + run + "\n" + await kit.LogAsync(runId));
        var warning = Assert.Single(page.GetProperty("warnings").EnumerateArray()).GetString()!;
        Assert.Contains("report.xml: not well-formed JUnit XML", warning, StringComparison.Ordinal);
        Assert.Contains("test report warning: report.xml: not well-formed", await kit.LogAsync(runId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unterminated_tap_stream_keeps_its_cases_and_warns_without_failing_a_passing_exit()
    {
        var (runId, run) = await kit.RunAsync(RunnerKit.Shell("""
            echo 'TAP version 14'
            echo 'ok 1 - cart adds an item'
            echo 'not ok 2 - coupon applies'
            exit 0
            """));

        Assert.Equal("passed", run.GetProperty("status").GetString());
        var page = (await kit.Client.RunCasesAsync(runId.ToString())).Json;
        Assert.Equal(["cart adds an item:passed", "coupon applies:failed"],
            page.GetProperty("cases").EnumerateArray().Select(c => $"{c.GetProperty("key").GetString()}:{c.GetProperty("status").GetString()}"));
        Assert.Contains("without a plan", Assert.Single(page.GetProperty("warnings").EnumerateArray()).GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_names_are_both_kept_and_non_utf8_names_are_cleaned()
    {
        var (runId, _) = await kit.RunAsync(RunnerKit.Shell("""
            echo 'TAP version 13'
            echo 'ok 1 - pays'
            echo 'not ok 2 - pays'
            printf 'ok 3 - caf\351 \377name\n'
            echo '1..3'
            exit 1
            """));

        var cases = await kit.Client.AllRunCasesAsync(runId);
        Assert.Equal(["pays", "pays #2", "caf name"], cases.Select(c => c.Key));
        Assert.Equal(3, cases.Select(c => c.Case.GetProperty("caseId").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task A_secret_a_failing_case_prints_is_masked_in_its_stored_output()
    {
        var key = new Dictionary<string, string?> { ["Byot:Secrets:Key"] = Api.SecretsApiTests.Key };

        // The class's own runner (no secrets key) shares the queue: stopped, so the keyed runner takes the run.
        await kit.StopRunnerAsync();
        await using var keyed = await RunnerKit.StartAsync(environment, key);
        await using var client = new FunctionsClient(environment, key);
        var api = new ByotApi(client);
        var testId = await api.UploadOkAsync(RunnerKit.Shell("""
            echo 'TAP version 13'
            echo 'not ok 1 - login'
            echo '  ---'
            echo "  message: 'token $API_TOKEN rejected'"
            echo '  ...'
            echo '1..1'
            exit 1
            """), "go", fileName: "login.sh");
        Assert.Equal(204, (await api.PutSecretAsync(testId.ToString(), "API_TOKEN", "tok_4f9a7c21e0")).Status);
        var runId = await api.RunNowOkAsync(testId);
        await api.WaitForFinalAsync(runId);

        var login = Assert.Single(await client.AllRunCasesAsync(runId)).Case;
        Assert.DoesNotContain("tok_4f9a7c21e0", login.ToString(), StringComparison.Ordinal);
        Assert.Equal("token *** rejected", login.GetProperty("message").GetString());
    }

    private async Task<(Guid RunId, System.Text.Json.JsonElement Run)> RunReportAsync(string xml)
    {
        var testId = await kit.UploadAsync(ReportBundle(xml), "shell", "report.tar.gz", RunScript);
        var runId = await kit.Api.RunNowOkAsync(testId);
        return (runId, await kit.Api.WaitForFinalAsync(runId, TimeSpan.FromMinutes(3)));
    }

    private static byte[] ReportBundle(string xml) => Bundles.TarGz(
        Bundles.File("run.sh", "cp /app/report.xml \"$BYOT_ARTIFACTS_DIR/report.xml\"\n"),
        Bundles.File("report.xml", xml));

    internal static string JUnit(int cases, int failEvery)
    {
        var xml = new StringBuilder("<?xml version=\"1.0\"?>\n<testsuites><testsuite name=\"checkout\">\n");
        for (var i = 0; i < cases; i++)
        {
            xml.Append("<testcase classname=\"checkout.Cart\" name=\"case ").Append(i).Append("\" time=\"0.001\"");
            xml.Append(failEvery > 0 && i % failEvery == failEvery - 1 ? "><failure message=\"expected 1, got 2\">at cart.js:10</failure></testcase>\n" : "/>\n");
        }

        return xml.Append("</testsuite></testsuites>\n").ToString();
    }
}
