using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>The whole path on real services: a test uploaded through the function fails in a real container under
/// the real runner, the runner's result transaction opens the incident, and delivery pages the local receivers with
/// the container's own log lines. The runner is given no alerting settings at all: routing happens on delivery.</summary>
public sealed class AlertEndToEndTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private AlertHarness h = null!;
    private RunnerHost runner = null!;

    public async Task InitializeAsync()
    {
        // The runner stamps events with the real clock; delivery looks from a little later, so they are due.
        h = await AlertHarness.StartAsync(environment, DateTimeOffset.UtcNow.AddMinutes(15));
        runner = await RunnerHost.StartAsync(environment);
    }

    public async Task DisposeAsync()
    {
        await runner.DisposeAsync();
        await h.DisposeAsync();
    }

    [Fact]
    public async Task A_failing_container_run_opens_an_incident_and_the_receivers_get_its_log_lines()
    {
        var binary = TestPrograms.StaticBinary(3, (false, "open /checkout"), (true, "✗ Pay button not found"));
        var upload = await h.Api.UploadAsync(binary, "checkout.test",
            [("runtime", "go"), ("severity", "P0"), ("name", "e2e-checkout"), ("failure_threshold", "1")]);
        Assert.True(upload.Status == 201, upload.ToString());
        var testId = upload.Json.GetProperty("id").GetGuid();

        var runId = await h.Api.RunNowOkAsync(testId);
        var run = await h.Api.WaitForFinalAsync(runId);
        Assert.Equal("failed", run.GetProperty("status").GetString());

        var incident = (await h.AlertsAsync(testId)).GetProperty("openIncident");
        Assert.Equal("P0", incident.GetProperty("severity").GetString());

        await h.DeliverAsync();
        var pd = Assert.Single(h.Http.At("/pd")).Json;
        Assert.Equal("trigger", pd.GetProperty("event_action").GetString());
        Assert.Equal(incident.GetProperty("dedupKey").GetString(), pd.GetProperty("dedup_key").GetString());
        Assert.Equal("[P0] e2e-checkout is failing", pd.GetProperty("payload").GetProperty("summary").GetString());

        var slack = Assert.Single(h.Http.At("/slack")).Json.GetProperty("text").GetString()!;
        Assert.StartsWith("*[P0] e2e-checkout is failing*\n", slack, StringComparison.Ordinal);
        Assert.Contains($"Last run: failed (exit code 3) https://byot.example.test/runs/{runId:D}", slack, StringComparison.Ordinal);
        Assert.Matches(@"\n\d{4}-\d\d-\d\dT[\d:.]+Z \[stderr\] ✗ Pay button not found\n", slack);
        Assert.Matches(@"\n\d{4}-\d\d-\d\dT[\d:.]+Z \[stdout\] open /checkout\n", slack);
    }
}
