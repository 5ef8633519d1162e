using System.Text.Json;
using Byot.Functions.Http;
using Byot.Shared.Cases;
using Byot.Shared.Domain;
using Byot.Tests.Alerts;
using Xunit;

namespace Byot.Tests.CaseRuns;

/// <summary>Quarantine over real Postgres with a fake clock: the PUT/DELETE routes and every bad input, expiry by the
/// injected clock, a run whose only failures are quarantined counting as a pass (no incident; the status page shows
/// it passing with quarantined cases and "2 of 3 passing"), and the incident a later run opens naming its failing
/// cases, new and quarantined, in the Slack and webhook messages the local receivers get.</summary>
public sealed class QuarantineTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private static readonly string Filters = CaseIds.For("checkout › filters");
    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment, extra: new Dictionary<string, string?> { ["Byot:Status:Public"] = "true" });

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task A_quarantine_is_put_shown_expires_by_the_clock_and_is_deleted()
    {
        var testId = await h.CreateTestAsync("q-api", "P3", threshold: 100);
        await h.RecordAsync(testId, RunStatus.Failed, cases: Cases(("pays", CaseStatus.Passed), ("filters", CaseStatus.Failed)));
        var id = testId.ToString();

        var until = h.Time.GetUtcNow().AddHours(2);
        var put = await h.Client.QuarantineAsync(id, Filters, $$"""{"reason": "Search index rebuild, see OPS-12", "until": "{{until:O}}", "by": "alice"}""");
        Assert.True(put.Status == 200, put.ToString());
        Assert.Equal("Search index rebuild, see OPS-12", put.Json.GetProperty("reason").GetString());

        var shown = await CaseAsync(id, "filters");
        Assert.Equal(("Search index rebuild, see OPS-12", "alice", until), (shown.GetProperty("quarantined").GetProperty("reason").GetString(),
            shown.GetProperty("quarantined").GetProperty("by").GetString(), shown.GetProperty("quarantined").GetProperty("until").GetDateTimeOffset()));
        Assert.Equal(JsonValueKind.Null, (await CaseAsync(id, "pays")).GetProperty("quarantined").ValueKind);

        h.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(JsonValueKind.Null, (await CaseAsync(id, "filters")).GetProperty("quarantined").ValueKind);

        Assert.Equal(200, (await h.Client.QuarantineAsync(id, Filters, """{"reason": "again, no expiry"}""")).Status);
        Assert.Equal("again, no expiry", (await CaseAsync(id, "filters")).GetProperty("quarantined").GetProperty("reason").GetString());
        Assert.Equal(204, (await h.Client.UnquarantineAsync(id, Filters)).Status);
        Assert.Equal(204, (await h.Client.UnquarantineAsync(id, Filters)).Status);
        Assert.Equal(JsonValueKind.Null, (await CaseAsync(id, "filters")).GetProperty("quarantined").ValueKind);
    }

    [Theory]
    [InlineData("""{"until": "2030-01-01T00:00:00Z"}""", 400, "reason")]
    [InlineData("""{"reason": "r", "until": "2020-01-01T00:00:00Z"}""", 400, "until")]
    [InlineData("""{"reason": "r", "until": "next week"}""", 400, "until")]
    [InlineData("""{"reason": "r", "ttl": 3}""", 400, "ttl")]
    [InlineData(null, 400, "")]
    [InlineData("""{"reason": "r"}""", 404, "unknown-case")]
    [InlineData("""{"reason": "r"}""", 404, "unknown-test")]
    [InlineData("""{"reason": "r"}""", 400, "caseId")]
    public async Task Bad_quarantines_are_problems_naming_what_is_wrong_and_nothing_is_stored(string? body, int status, string what)
    {
        var testId = await h.CreateTestAsync("q-bad", "P3", threshold: 100);
        await h.RecordAsync(testId, RunStatus.Failed, cases: Cases(("filters", CaseStatus.Failed)));
        var (test, caseId) = what switch
        {
            "unknown-case" => (testId.ToString(), CaseIds.For("never › seen")),
            "unknown-test" => (Guid.NewGuid().ToString(), Filters),
            "caseId" => (testId.ToString(), "Checkout"),
            _ => (testId.ToString(), Filters),
        };

        var response = await h.Client.QuarantineAsync(test, caseId, body);
        Assert.True(response.Status == status, response.ToString());
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        if (status == 400 && what.Length > 0)
        {
            Assert.Contains($"'{what}'", response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(JsonValueKind.Null, (await CaseAsync(testId.ToString(), "filters")).GetProperty("quarantined").ValueKind);
        if (what.StartsWith("unknown", StringComparison.Ordinal))
        {
            Assert.Equal(404, (await h.Client.UnquarantineAsync(test, caseId)).Status);
        }
    }

    [Fact]
    public async Task Only_quarantined_failures_count_as_a_pass_and_the_next_incident_names_its_failing_cases()
    {
        var testId = await h.CreateTestAsync("q-flow", "P2", threshold: 1);
        var start = h.Time.GetUtcNow();
        await h.RecordAsync(testId, RunStatus.Passed, cases: Cases(("pays", CaseStatus.Passed), ("filters", CaseStatus.Passed), ("cart", CaseStatus.Passed)), queuedAt: start.AddMinutes(-10));
        Assert.Equal(200, (await h.Client.QuarantineAsync(testId.ToString(), Filters, """{"reason": "Search index rebuild"}""")).Status);

        // Failed, but only in the quarantined case: no incident, the streak is a pass, the status page says so.
        var excused = await h.RecordAsync(testId, RunStatus.Failed, cases: Cases(("pays", CaseStatus.Passed), ("filters", CaseStatus.Failed), ("cart", CaseStatus.Passed)),
            queuedAt: start.AddMinutes(1));
        var alerts = await h.AlertsAsync(testId);
        Assert.Equal(JsonValueKind.Null, alerts.GetProperty("openIncident").ValueKind);
        Assert.Equal("failed", (await h.Api.GetRunAsync(excused.ToString())).Json.GetProperty("status").GetString());
        var flow = await FlowAsync(testId);
        Assert.Equal(("green", true), (flow.GetProperty("state").GetString(), flow.GetProperty("passingWithQuarantined").GetBoolean()));
        Assert.Equal("passing, with 1 quarantined case(s) failing", flow.GetProperty("reason").GetString());
        Assert.Equal((2, 1), (flow.GetProperty("cases").GetProperty("passed").GetInt32(), flow.GetProperty("cases").GetProperty("failed").GetInt32()));
        var page = await h.Client.InvokeAsync("GET", "/status", r => h.Client.Function<StatusFunctions>().Page(r, CancellationToken.None));
        Assert.Contains("2 of 3 passing", page.Text, StringComparison.Ordinal);

        // A failing case that is not quarantined counts: the incident opens, and its messages name both cases.
        await h.RecordAsync(testId, RunStatus.Failed, cases: Cases(("pays", CaseStatus.Failed), ("filters", CaseStatus.Failed), ("cart", CaseStatus.Passed)),
            queuedAt: start.AddMinutes(4));
        Assert.NotEqual(JsonValueKind.Null, (await h.AlertsAsync(testId)).GetProperty("openIncident").ValueKind);
        Assert.False((await FlowAsync(testId)).GetProperty("passingWithQuarantined").GetBoolean());

        await h.DeliverAsync();
        const string Named = "2 of 3 failed (1 quarantined): `checkout › pays` (new since 10:04 UTC) and `checkout › filters` (failing since 10:01 UTC, quarantined)";
        var slack = h.Http.At("/slack").Select(r => r.Json.GetProperty("text").GetString()!).Single(t => t.Contains("q-flow", StringComparison.Ordinal));
        Assert.Contains(Named, slack, StringComparison.Ordinal);
        var hook = h.Http.At("/hook").Select(r => r.Json).Single(j => j.GetProperty("test").GetProperty("id").GetGuid() == testId);
        Assert.Contains(Named, hook.GetProperty("text").GetString(), StringComparison.Ordinal);
        var named = hook.GetProperty("cases").GetProperty("named");
        Assert.Equal((true, false), (named[0].GetProperty("new").GetBoolean(), named[0].GetProperty("quarantined").GetBoolean()));
        Assert.Equal((false, true), (named[1].GetProperty("new").GetBoolean(), named[1].GetProperty("quarantined").GetBoolean()));
    }

    private static RunCases Cases(params (string Name, CaseStatus Status)[] cases)
    {
        var sink = new CaseSink(CaseLimits.Default);
        foreach (var (name, status) in cases)
        {
            sink.Add("checkout", name, status, 5, status is CaseStatus.Failed or CaseStatus.Errored ? name + " broke" : null);
        }

        return new RunCases([new AttemptCases(1, sink.Cases)], false, []);
    }

    private async Task<JsonElement> CaseAsync(string testId, string name)
    {
        var response = await h.Client.TestCasesAsync(testId);
        Assert.True(response.Status == 200, response.ToString());
        return response.Json.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).Clone();
    }

    private async Task<JsonElement> FlowAsync(Guid testId)
    {
        var response = await h.Client.InvokeAsync("GET", "/status.json", r => h.Client.Function<StatusFunctions>().Json(r, CancellationToken.None));
        Assert.True(response.Status == 200, response.ToString());
        return response.Json.GetProperty("flows").EnumerateArray().Single(f => f.GetProperty("id").GetGuid() == testId).Clone();
    }
}
