using System.Text.Json;
using Byot.Shared.Domain;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>An infra_error burst is announced in the operator's own words on every channel kind (PagerDuty, Slack,
/// Teams, webhook, email): which runs, which runners, since when, the engine's error, and never a test's severity or
/// a blank test id. The recovery notice carries no error text.</summary>
public sealed class OperatorAlertWordingTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private const string DockerDown = "Docker engine error while creating the container: connection refused (unix:///var/run/docker.sock)";
    private const string OtherRunner = "runner-b";

    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment, extra: new Dictionary<string, string?>
    {
        ["Byot:Alerts:Operator:Channels"] = "pd-high,slack,teams,hook,ops-mail",
    });

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task Burst_and_recovery_read_as_operator_incidents_on_every_channel_kind()
    {
        var test = await h.CreateTestAsync("checkout-p0", "P0", threshold: 1);
        var first = await h.RecordAsync(test, RunStatus.InfraError, error: DockerDown);
        var second = await RecordOnAsync(test, OtherRunner, DockerDown);
        var third = await h.RecordAsync(test, RunStatus.InfraError, error: DockerDown);
        await h.DeliverAsync();

        var finished = new Dictionary<Guid, string>();
        foreach (var run in new[] { first, second, third })
        {
            // The database stamps finishedAt; the message shows it to the second.
            var at = (await h.Api.GetRunAsync(run.ToString())).Json.GetProperty("finishedAt").GetDateTimeOffset();
            finished[run] = at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        }

        var trigger = Messages();
        Assert.Equal(["email", "hook", "pd", "slack", "teams"], trigger.Keys.Order(StringComparer.Ordinal));
        foreach (var (channel, text) in trigger)
        {
            Assert.Contains("[BYOT operator] 3 runs ended in infra_error", text, StringComparison.Ordinal);
            Assert.Contains($"3 runs ended in infra_error within 10 minutes, the first at {finished[first]}.", text, StringComparison.Ordinal);
            Assert.Contains($"Runners: {AlertHarness.RunnerId}, {OtherRunner}", text, StringComparison.Ordinal);
            foreach (var (run, runner) in new[] { (first, AlertHarness.RunnerId), (second, OtherRunner), (third, AlertHarness.RunnerId) })
            {
                Assert.Contains($"- checkout-p0 on {runner} at {finished[run]}: https://byot.example.test/runs/{run:D}", text, StringComparison.Ordinal);
            }

            Assert.Contains("Error: " + DockerDown, text, StringComparison.Ordinal);
            Assert.DoesNotContain("Test: ", text, StringComparison.Ordinal);
            Assert.DoesNotContain("(P", text, StringComparison.Ordinal);
            Assert.DoesNotContain("id )", text, StringComparison.Ordinal);
            Assert.True(!text.Contains("P1", StringComparison.Ordinal), channel + ": " + text);
        }

        h.Time.Advance(TimeSpan.FromMinutes(5));
        var passed = await h.RecordAsync(test, RunStatus.Passed, error: null);
        await h.DeliverAsync();

        var resolve = Messages();
        Assert.Equal(["email", "hook", "slack", "teams"], resolve.Keys.Order(StringComparer.Ordinal));
        foreach (var (_, text) in resolve)
        {
            Assert.Contains("[BYOT operator] Resolved: runs complete normally again", text, StringComparison.Ordinal);
            Assert.Contains($"Runs complete normally again: run https://byot.example.test/runs/{passed:D} ended passed at 2026-11-23 10:05:00 UTC.", text, StringComparison.Ordinal);
            Assert.DoesNotContain("docker", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Error:", text, StringComparison.Ordinal);
        }

        var pagerDutyResolve = Assert.Single(h.Http.At("/pd").Skip(1));
        Assert.Equal("resolve", pagerDutyResolve.Json.GetProperty("event_action").GetString());
    }

    private async Task<Guid> RecordOnAsync(Guid testId, string runnerId, string error)
    {
        var runId = Guid.NewGuid();
        Assert.NotNull(await h.Runs.CreateManualAsync(runId, testId, CancellationToken.None));
        Assert.NotNull(await h.Runs.ClaimAsync(runId, runnerId, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.True(await h.Completion.CompleteAsync(runId, runnerId, new RunOutcome(RunStatus.InfraError, null, 0, 0, false, error), CancellationToken.None));
        return runId;
    }

    private int seen;
    private int seenMail;

    /// <summary>Every string each channel received since the last call, per channel, so the wording is read as the
    /// receiver sees it (JSON unescaped, the email decoded).</summary>
    private Dictionary<string, string> Messages()
    {
        var requests = h.Http.Requests;
        var result = requests.Skip(seen)
            .Where(r => r.Path != "/pd" || r.Json.GetProperty("event_action").GetString() == "trigger")
            .ToDictionary(r => r.Path.TrimStart('/'), r => string.Join('\n', Strings(r.Json)));
        seen = requests.Count;
        foreach (var mail in h.Smtp.Messages.Skip(seenMail))
        {
            result["email"] = mail.Header("Subject") + "\n" + mail.Body;
        }

        seenMail = h.Smtp.Messages.Count;
        return result;
    }

    private static IEnumerable<string> Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => [e.GetString()!],
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Strings),
        _ => [],
    };
}
