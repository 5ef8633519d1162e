using Byot.Shared.Cases;
using Byot.Shared.Completion;
using Byot.Shared.Domain;
using Byot.Shared.Storage;
using Byot.Tests.CaseRuns;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Byot.Tests.Locations;

/// <summary>k of N through the real completion path on Postgres: results recorded per location, the facts read in
/// the result's transaction, the incident and its trigger saying where the test fails.</summary>
public sealed class LocationIncidentTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private FunctionsClient client = null!;

    public Task InitializeAsync()
    {
        client = new FunctionsClient(environment, new Dictionary<string, string?> { ["Byot:Locations:Known:0"] = "eu-west" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await client.DisposeAsync();

    [Fact]
    public async Task Failures_spread_over_locations_page_nobody_and_one_location_past_its_threshold_pages_as_that_location()
    {
        var upload = await new ByotApi(client).UploadAsync("#!/bin/sh\n"u8.ToArray(),
            fields: [("runtime", "go"), ("locations", "default,eu-west"), ("failure_threshold", "2")]);
        var test = upload.Json.GetProperty("id").GetGuid();

        // Two failures in a row for the test, one per location: the single-streak rule would open here.
        await RecordAsync(test, "default", RunStatus.Failed);
        await RecordAsync(test, "eu-west", RunStatus.Failed);
        Assert.Equal(0, await OpenIncidentsAsync(test));

        await RecordAsync(test, "default", RunStatus.Passed);
        await RecordAsync(test, "eu-west", RunStatus.Failed);
        Assert.Equal(1, await OpenIncidentsAsync(test));
        Assert.Equal(1, await environment.ScalarAsync(
            "SELECT count(*) FROM notifications n JOIN incidents i ON i.id = n.incident_id WHERE i.test_id = @t AND n.kind = 'trigger' AND n.payload::text LIKE '%failing from eu-west only (1 of 2 locations)%'",
            ("t", test)));

        // Recovery likewise: eu-west's own passes (the severity's resolveAfterPasses) resolve it.
        for (var i = 0; i < 3 && await OpenIncidentsAsync(test) > 0; i++)
        {
            await RecordAsync(test, "eu-west", RunStatus.Passed);
        }

        Assert.Equal(0, await OpenIncidentsAsync(test));
    }

    [Fact]
    public async Task A_run_failing_only_in_quarantined_cases_counts_as_a_pass_in_its_locations_streak()
    {
        var upload = await new ByotApi(client).UploadAsync("#!/bin/sh\n# quarantine\n"u8.ToArray(),
            fields: [("runtime", "go"), ("locations", "default,eu-west"), ("failure_threshold", "2")]);
        var test = upload.Json.GetProperty("id").GetGuid();
        await RecordAsync(test, "eu-west", RunStatus.Failed, "search");
        var put = await client.QuarantineAsync(test.ToString(), CaseIds.For("checkout › search"), """{"reason": "index rebuild"}""");
        Assert.True(put.Status == 200, put.ToString());

        // Failing only in the quarantined case: a pass for eu-west as for the test, so the next failure is eu-west's
        // first of a new streak, not its second (which, with failure_threshold 2, would open an incident).
        await RecordAsync(test, "eu-west", RunStatus.Failed, "search");
        await RecordAsync(test, "eu-west", RunStatus.Failed, "pays");
        Assert.Equal(0, await OpenIncidentsAsync(test));

        await RecordAsync(test, "eu-west", RunStatus.Failed, "pays");
        Assert.Equal(1, await OpenIncidentsAsync(test));
    }

    private async Task RecordAsync(Guid test, string location, RunStatus status, string failingCase)
    {
        var runs = client.Services.GetRequiredService<RunStore>();
        var run = (await runs.QueueManualAsync(Guid.NewGuid(), test, location, null, 100, CancellationToken.None)).Run!;
        Assert.NotNull(await runs.ClaimAsync(run.Id, "kn-runner", TimeSpan.FromMinutes(1), CancellationToken.None));
        var sink = new CaseSink(CaseLimits.Default);
        sink.Add("checkout", "ok", CaseStatus.Passed, 5, null);
        sink.Add("checkout", failingCase, CaseStatus.Failed, 5, failingCase + " broke");
        var outcome = new RunOutcome(status, 1, 10, 0, false, null, new RunCases([new AttemptCases(1, sink.Cases)], false, []));
        Assert.True(await client.Services.GetRequiredService<RunCompletion>().CompleteAsync(run.Id, "kn-runner", outcome, CancellationToken.None));
    }

    private async Task RecordAsync(Guid test, string location, RunStatus status)
    {
        var runs = client.Services.GetRequiredService<RunStore>();
        var run = (await runs.QueueManualAsync(Guid.NewGuid(), test, location, null, 100, CancellationToken.None)).Run!;
        Assert.NotNull(await runs.ClaimAsync(run.Id, "kn-runner", TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.True(await client.Services.GetRequiredService<RunCompletion>().CompleteAsync(
            run.Id, "kn-runner", new RunOutcome(status, status == RunStatus.Passed ? 0 : 1, 10, 0, false, null), CancellationToken.None));
    }

    private Task<long> OpenIncidentsAsync(Guid test) =>
        environment.ScalarAsync("SELECT count(*) FROM incidents WHERE test_id = @t AND resolved_at IS NULL", ("t", test));
}
