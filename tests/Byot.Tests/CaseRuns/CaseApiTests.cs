using Byot.Shared.Cases;
using Byot.Shared.Completion;
using Byot.Shared.Domain;
using Byot.Shared.Storage;
using Byot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Byot.Tests.CaseRuns;

/// <summary>The case routes over results recorded the way a Runner records them (claim, then the completion with its
/// cases, in real Postgres): filters, paging, the window's scores and flaky rule, history, and every bad input a 4xx
/// problem naming it.</summary>
public sealed class CaseApiTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private RunnerKit kit = null!;

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment, startRunner: false);

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task A_runs_cases_filter_by_status_page_with_a_cursor_and_carry_the_counts()
    {
        var testId = await kit.UploadAsync(RunnerKit.Shell("exit 1"));
        var runId = await RecordAsync(testId, RunStatus.Failed, ("pays", CaseStatus.Passed), ("refunds", CaseStatus.Failed), ("ships", CaseStatus.Skipped), ("bills", CaseStatus.Errored), ("taxes", CaseStatus.Failed));

        var failed = await kit.Client.AllRunCasesAsync(runId, "failed");
        Assert.Equal(["checkout › refunds", "checkout › taxes"], failed.Select(c => c.Key));
        var first = (await kit.Client.RunCasesAsync(runId.ToString(), "?limit=2")).Json;
        Assert.Equal(2, first.GetProperty("cases").GetArrayLength());
        var second = (await kit.Client.RunCasesAsync(runId.ToString(), "?limit=2&cursor=" + first.GetProperty("next").GetString())).Json;
        Assert.Equal("checkout › ships", second.GetProperty("cases")[0].GetProperty("key").GetString());
        var counts = (await kit.Api.GetRunAsync(runId.ToString())).Json.GetProperty("cases");
        Assert.Equal((1, 2, 1, 1, 5), (counts.GetProperty("passed").GetInt32(), counts.GetProperty("failed").GetInt32(), counts.GetProperty("skipped").GetInt32(),
            counts.GetProperty("errored").GetInt32(), counts.GetProperty("total").GetInt32()));
        var listed = (await kit.Api.ListTestsAsync()).Json.EnumerateArray().Single(t => t.GetProperty("test").GetProperty("id").GetGuid() == testId);
        Assert.Equal(2, listed.GetProperty("lastRun").GetProperty("cases").GetProperty("failed").GetInt32());
    }

    [Fact]
    public async Task A_tests_cases_score_the_window_flaky_by_the_one_rule_and_broken_is_not_flaky()
    {
        var testId = await kit.UploadAsync(RunnerKit.Shell("exit 1"));
        var flips = new[] { CaseStatus.Passed, CaseStatus.Failed, CaseStatus.Passed, CaseStatus.Failed };
        foreach (var flip in flips)
        {
            await RecordAsync(testId, RunStatus.Failed, ("login", flip), ("search", CaseStatus.Failed), ("cart", CaseStatus.Passed));
        }

        var cases = (await kit.Client.TestCasesAsync(testId.ToString())).Json.GetProperty("cases").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c);
        // login: P F P F over 4 runs, 3 flips >= MinFlips 3 (Byot:Alerts:Flaky's default): flaky, like a test would be.
        Assert.Equal((true, 0.5, 0.75, "failed"), (cases["login"].GetProperty("flaky").GetBoolean(), cases["login"].GetProperty("passRate").GetDouble(),
            cases["login"].GetProperty("flipRate").GetDouble(), cases["login"].GetProperty("lastStatus").GetString()));
        Assert.Equal((false, 0.0), (cases["search"].GetProperty("flaky").GetBoolean(), cases["search"].GetProperty("passRate").GetDouble()));
        Assert.Equal((false, 1.0), (cases["cart"].GetProperty("flaky").GetBoolean(), cases["cart"].GetProperty("passRate").GetDouble()));
        Assert.Equal(4, cases["login"].GetProperty("runs").GetInt32());
        Assert.NotEqual(JsonNull, cases["login"].GetProperty("lastFailureAt").ValueKind);
    }

    [Fact]
    public async Task A_new_artifact_version_starts_the_window_afresh()
    {
        var testId = await kit.UploadAsync(RunnerKit.Shell("exit 1"));
        await RecordAsync(testId, RunStatus.Failed, ("login", CaseStatus.Failed));
        Assert.Equal(1, (await kit.Client.TestCasesAsync(testId.ToString())).Json.GetProperty("cases").GetArrayLength());

        Assert.Equal(201, (await kit.Api.UploadVersionAsync(testId.ToString(), RunnerKit.Shell("exit 0"))).Status);

        Assert.Equal(0, (await kit.Client.TestCasesAsync(testId.ToString())).Json.GetProperty("cases").GetArrayLength());
    }

    [Fact]
    public async Task A_flapping_case_is_not_flaky_on_a_new_version_until_it_flaps_there()
    {
        var testId = await kit.UploadAsync(RunnerKit.Shell("exit 1"));
        foreach (var status in new[] { CaseStatus.Passed, CaseStatus.Failed, CaseStatus.Passed, CaseStatus.Failed })
        {
            await RecordAsync(testId, RunStatus.Failed, ("login", status));
        }

        Assert.True(await LoginFlakyAsync(testId));
        Assert.Equal(201, (await kit.Api.UploadVersionAsync(testId.ToString(), RunnerKit.Shell("exit 0 # v2"))).Status);
        await RecordAsync(testId, RunStatus.Passed, ("login", CaseStatus.Passed));
        await RecordAsync(testId, RunStatus.Failed, ("login", CaseStatus.Failed));
        // One flip on v2: v1's three do not count.
        Assert.False(await LoginFlakyAsync(testId));

        await RecordAsync(testId, RunStatus.Passed, ("login", CaseStatus.Passed));
        await RecordAsync(testId, RunStatus.Failed, ("login", CaseStatus.Failed));
        Assert.True(await LoginFlakyAsync(testId));
    }

    private async Task<bool> LoginFlakyAsync(Guid testId)
    {
        var login = (await kit.Client.TestCasesAsync(testId.ToString())).Json.GetProperty("cases").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "login");
        return login.GetProperty("flaky").GetBoolean();
    }

    [Fact]
    public async Task A_cases_history_is_paged_newest_first()
    {
        var testId = await kit.UploadAsync(RunnerKit.Shell("exit 1"));
        var runs = new List<Guid>();
        foreach (var status in new[] { CaseStatus.Passed, CaseStatus.Failed, CaseStatus.Passed })
        {
            runs.Add(await RecordAsync(testId, RunStatus.Passed, ("login", status)));
        }

        var caseId = CaseIds.For("checkout › login");
        var first = (await kit.Client.CaseHistoryAsync(testId.ToString(), caseId, "?limit=2")).Json;
        Assert.Equal("checkout › login", first.GetProperty("key").GetString());
        Assert.Equal([runs[2], runs[1]], first.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetGuid()));
        var rest = (await kit.Client.CaseHistoryAsync(testId.ToString(), caseId, "?cursor=" + first.GetProperty("next").GetString())).Json;
        Assert.Equal(runs[0], Assert.Single(rest.GetProperty("runs").EnumerateArray()).GetProperty("runId").GetGuid());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, rest.GetProperty("next").ValueKind);
    }

    [Theory]
    [InlineData("run-status", "status")]
    [InlineData("run-limit", "limit")]
    [InlineData("run-cursor", "cursor")]
    [InlineData("case-id", "caseId")]
    [InlineData("run-id", "")]
    public async Task Bad_inputs_are_400_problems_naming_the_field(string what, string field)
    {
        var testId = await kit.UploadAsync(RunnerKit.Shell("exit 1"));
        var runId = (await RecordAsync(testId, RunStatus.Passed, ("login", CaseStatus.Passed))).ToString();
        var response = what switch
        {
            "run-status" => await kit.Client.RunCasesAsync(runId, "?status=broken"),
            "run-limit" => await kit.Client.RunCasesAsync(runId, "?limit=0"),
            "run-cursor" => await kit.Client.RunCasesAsync(runId, "?cursor=nope"),
            "case-id" => await kit.Client.CaseHistoryAsync(testId.ToString(), "checkout%20login"),
            _ => await kit.Client.RunCasesAsync("not-a-run"),
        };

        Assert.True(response.Status == 400, response.ToString());
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        if (field.Length > 0)
        {
            Assert.Contains(field, response.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Unknown_runs_tests_and_cases_are_404()
    {
        var testId = await kit.UploadAsync(RunnerKit.Shell("exit 1"));
        Assert.Equal(404, (await kit.Client.RunCasesAsync(Guid.NewGuid().ToString())).Status);
        Assert.Equal(404, (await kit.Client.TestCasesAsync(Guid.NewGuid().ToString())).Status);
        Assert.Equal(404, (await kit.Client.CaseHistoryAsync(testId.ToString(), CaseIds.For("never › reported"))).Status);
    }

    private const System.Text.Json.JsonValueKind JsonNull = System.Text.Json.JsonValueKind.Null;

    /// <summary>Claims a fresh manual run and completes it with these cases, as a Runner would.</summary>
    private async Task<Guid> RecordAsync(Guid testId, RunStatus status, params (string Name, CaseStatus Status)[] cases)
    {
        var services = kit.Client.Services;
        var runs = services.GetRequiredService<RunStore>();
        var run = await runs.CreateManualAsync(Guid.NewGuid(), testId, CancellationToken.None) ?? throw new InvalidOperationException("no test");
        Assert.NotNull(await runs.ClaimAsync(run.Id, "seed", TimeSpan.FromMinutes(1), CancellationToken.None));
        var sink = new CaseSink(CaseLimits.Default);
        foreach (var (name, caseStatus) in cases)
        {
            sink.Add("checkout", name, caseStatus, 5, caseStatus is CaseStatus.Failed or CaseStatus.Errored ? name + " broke" : null);
        }

        var outcome = new RunOutcome(status, status == RunStatus.Passed ? 0 : 1, 10, 0, false, null, new RunCases([new AttemptCases(1, sink.Cases)], false, []));
        Assert.True(await services.GetRequiredService<RunCompletion>().CompleteAsync(run.Id, "seed", outcome, CancellationToken.None));
        return run.Id;
    }
}
