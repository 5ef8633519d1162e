using Byot.Shared.Domain;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>docs/reliability.md row 19: infra_error never pages a test's owners; a burst raises one operator alert (here by
/// email over a real SMTP conversation), and it resolves once runs complete on their own merits again.</summary>
public sealed class InfraErrorAlertTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment);

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task Row19_a_burst_of_infra_errors_pages_no_owner_and_raises_exactly_one_operator_alert()
    {
        var orders = await h.CreateTestAsync("orders", "P0", threshold: 1);
        var login = await h.CreateTestAsync("login", "P1", threshold: 1);
        const string DockerDown = "Docker engine unreachable: connection refused (unix:///var/run/docker.sock)";

        await h.RecordAsync(orders, RunStatus.InfraError, error: DockerDown);
        await h.RecordAsync(login, RunStatus.InfraError, error: DockerDown);
        await h.DeliverAsync();
        Assert.Empty(h.Smtp.Messages);

        await h.RecordAsync(orders, RunStatus.InfraError, error: DockerDown);
        await h.DeliverAsync();
        var alert = Assert.Single(h.Smtp.Messages);
        Assert.Equal("byot@example.test", alert.From);
        Assert.Equal(["ops@example.test", "platform@example.test"], alert.To);
        Assert.Equal("[BYOT operator] 3 runs ended in infra_error", alert.Header("Subject"));
        Assert.Contains("3 runs ended in infra_error within 10 minutes", alert.Body, StringComparison.Ordinal);
        Assert.Contains("Not the tests' fault: their owners were not paged.", alert.Body, StringComparison.Ordinal);
        Assert.Contains("Error: " + DockerDown, alert.Body, StringComparison.Ordinal);
        Assert.Contains("Runners: alert-tests", alert.Body, StringComparison.Ordinal);
        // QUIT may still be on its way when the client returns; the conversation up to the accepted DATA is not.
        Assert.Equal(["EHLO", "MAIL", "RCPT", "RCPT", "DATA"], h.Smtp.Transcript.Take(5).Select(l => l.Split(' ')[0]));

        for (var i = 0; i < 4; i++)
        {
            await h.RecordAsync(i % 2 == 0 ? orders : login, RunStatus.InfraError, error: DockerDown);
        }

        h.Time.Advance(TimeSpan.FromHours(2));
        await h.DeliverAsync();
        Assert.Single(h.Smtp.Messages);
        Assert.Empty(h.Http.Requests);
        foreach (var test in new[] { orders, login })
        {
            var state = await h.AlertsAsync(test);
            Assert.Equal(0, state.GetProperty("consecutiveFailures").GetInt32());
            Assert.Empty(state.GetProperty("incidents").EnumerateArray());
        }

        // The engine is back: a run ends on its own merits, and the operators hear it once.
        await h.RecordAsync(orders, RunStatus.Passed);
        await h.DeliverAsync();
        Assert.Equal(2, h.Smtp.Messages.Count);
        Assert.Equal("[BYOT operator] Resolved: runs complete normally again", h.Smtp.Messages[1].Header("Subject"));
        Assert.Contains("Runs complete normally again: run https://byot.example.test/runs/", h.Smtp.Messages[1].Body, StringComparison.Ordinal);
        Assert.Empty(h.Http.Requests);
    }
}
