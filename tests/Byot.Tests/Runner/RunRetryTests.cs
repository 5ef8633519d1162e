using Byot.Functions.Http;
using Byot.Shared.Domain;
using Byot.Tests.CaseRuns;
using Byot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Byot.Tests.Runner;

/// <summary>Retries inside a run (docs/cases.md) over real Postgres and Azurite with the fake container engine and a
/// Runner clock that records the waits between tries instead of sleeping: which outcomes are retried, in fresh
/// containers, with their waits, how exhaustion, an infrastructure error, a disabled test and a stopping Runner end
/// the tries, and what is recorded (tries, flaky, every try's cases, log markers, one failure for the incident).</summary>
public sealed class RunRetryTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    private const string FailingTap = "TAP version 13\n1..2\nok 1 - loads\nnot ok 2 - pays\n";
    private const string PassingTap = "TAP version 13\n1..2\nok 1 - loads\nok 2 - pays\n";

    [Fact]
    public async Task A_failed_try_is_retried_in_a_fresh_container_and_a_pass_on_the_retry_is_passed_and_flaky()
    {
        var clock = new HeldDelays();
        await using var runner = Start(clock);
        runner.Engine.Plays.Enqueue(FakeRun.Exits(1, FailingTap));
        runner.Engine.Plays.Enqueue(FakeRun.Exits(0, PassingTap));

        var runId = await runner.QueueRunAsync(("retries", "2"), ("retry_delay", "7"));
        await runner.ExecuteAsync(await runner.ReceiveAsync(runId));
        var run = await runner.FindAsync(runId);

        Assert.Equal(RunStatus.Passed, run.Status);
        Assert.True(run.Flaky);
        Assert.Equal(2, run.Tries);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal([TimeSpan.FromSeconds(7)], clock.Waits);

        // Two containers, each with its own name (and so its own volumes), told which try it is; both removed.
        var created = runner.Engine.Created.ToList();
        Assert.Equal(2, created.Count);
        Assert.NotEqual(created[0].Name, created[1].Name);
        Assert.Equal(["1", "2"], created.Select(c => c.Environment["BYOT_TRY"]));
        Assert.All(created, c => Assert.Equal("3", c.Environment["BYOT_TRIES"]));
        Assert.Equal(2, runner.Engine.Removed.Count);

        var log = await environment.ReadLogAsync(run.LogBlobName!);
        var first = log.IndexOf("── attempt 1 of 3 ──", StringComparison.Ordinal);
        var second = log.IndexOf("── attempt 2 of 3 ──", StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first, log);
        Assert.Contains("not ok 2 - pays", log[first..second], StringComparison.Ordinal);
        Assert.Contains("ok 2 - pays", log[second..], StringComparison.Ordinal);
        Assert.DoesNotContain("── attempt 3 of 3 ──", log, StringComparison.Ordinal);

        // Every try's cases, with its number; the run's counts are the last try's.
        var cases = await runner.Client.AllRunCasesAsync(runId);
        Assert.Equal(
            [("loads", "passed", 1), ("pays", "failed", 1), ("loads", "passed", 2), ("pays", "passed", 2)],
            cases.Select(c => (c.Key, c.Status, c.Attempt)));
        Assert.Equal(new Byot.Shared.Cases.CaseCounts(2, 0, 0, 0), run.Cases);

        var view = (await runner.Api.GetRunAsync(runId.ToString())).Json;
        Assert.Equal(2, view.GetProperty("tries").GetInt32());
        Assert.True(view.GetProperty("flaky").GetBoolean());

        // A pass on a retry is a pass: no failure counted, and the test is flaky by the one rule.
        var alerts = await AlertsAsync(runner, run.TestId);
        Assert.Equal(0, alerts.GetProperty("consecutiveFailures").GetInt32());
        Assert.True(alerts.GetProperty("flaky").GetBoolean());
        Assert.Equal(0, alerts.GetProperty("incidents").GetArrayLength());
    }

    [Fact]
    public async Task Exhausted_retries_are_one_failed_run_with_every_try_counted_once_towards_the_incident()
    {
        var clock = new HeldDelays();
        await using var runner = Start(clock);
        runner.Engine.Next = FakeRun.Exits(2, FailingTap);

        var runId = await runner.QueueRunAsync(("retries", "2"), ("retry_delay", "5"), ("retry_backoff", "linear"), ("failure_threshold", "1"));
        await runner.ExecuteAsync(await runner.ReceiveAsync(runId));
        var run = await runner.FindAsync(runId);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.False(run.Flaky);
        Assert.Equal(3, run.Tries);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(3, runner.Engine.Created.Count);
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)], clock.Waits);
        Assert.Equal([1, 1, 2, 2, 3, 3], (await runner.Client.AllRunCasesAsync(runId)).Select(c => c.Attempt));

        var alerts = await AlertsAsync(runner, run.TestId);
        Assert.Equal(1, alerts.GetProperty("consecutiveFailures").GetInt32());
        var incident = Assert.Single(alerts.GetProperty("incidents").EnumerateArray());
        Assert.Equal(1, incident.GetProperty("failureCount").GetInt32());
    }

    [Fact]
    public async Task Exponential_backoff_doubles_the_wait_before_each_retry()
    {
        var clock = new HeldDelays();
        await using var runner = Start(clock);
        runner.Engine.Next = FakeRun.Exits(1);

        var run = await RunAsync(runner, ("retries", "3"), ("retry_delay", "10"), ("retry_backoff", "exponential"));

        Assert.Equal(4, run.Tries);
        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40)], clock.Waits);
    }

    [Fact]
    public async Task A_timed_out_try_and_an_oom_try_are_retried()
    {
        await using var runner = Start(new HeldDelays());
        runner.Engine.Plays.Enqueue(FakeRun.Hang("stuck\n"));
        runner.Engine.Plays.Enqueue(FakeRun.Oom());
        runner.Engine.Plays.Enqueue(FakeRun.Exits(0));

        var run = await RunAsync(runner, ("retries", "2"), ("timeout", "1"));

        Assert.Equal(RunStatus.Passed, run.Status);
        Assert.Equal(3, run.Tries);
        Assert.True(run.Flaky);
        var log = await environment.ReadLogAsync(run.LogBlobName!);
        Assert.Contains("Stopped after the 1-second timeout.", log, StringComparison.Ordinal);
        Assert.Contains("Killed for exceeding its", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_retries_a_failure_is_recorded_at_once_with_one_try_and_no_marker()
    {
        var clock = new HeldDelays();
        await using var runner = Start(clock);

        var run = await runner.RunOnceAsync(FakeRun.Exits(1, "broken\n"));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(1, run.Tries);
        Assert.Single(runner.Engine.Created);
        Assert.Empty(clock.Waits);
        Assert.DoesNotContain("── attempt", await environment.ReadLogAsync(run.LogBlobName!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_infrastructure_error_is_handed_back_and_never_uses_the_tests_retries()
    {
        await using var runner = Start(new HeldDelays(), new Dictionary<string, string?> { ["Byot:Runner:MaxInfraAttempts"] = "3" });
        runner.Engine.Plays.Enqueue(FakeRun.EngineDies());
        runner.Engine.Plays.Enqueue(FakeRun.Exits(1));
        runner.Engine.Plays.Enqueue(FakeRun.Exits(0));

        // One retry only: had the infrastructure error used it, the failure after it would end the run failed.
        var runId = await runner.QueueRunAsync(("retries", "1"));
        await runner.ExecuteAsync(await runner.ReceiveAsync(runId));
        var handedBack = await runner.FindAsync(runId);
        await runner.ExecuteAsync(await runner.ReceiveAsync(runId));
        var run = await runner.FindAsync(runId);

        Assert.Equal(RunStatus.Queued, handedBack.Status);
        Assert.Equal(RunStatus.Passed, run.Status);
        Assert.Equal(2, run.Attempt);
        Assert.Equal(2, run.Tries);
        Assert.True(run.Flaky);
        Assert.Equal(3, runner.Engine.Created.Count);
    }

    [Fact]
    public async Task A_test_disabled_while_its_run_waits_to_retry_gets_no_further_try_and_the_run_is_cancelled()
    {
        var clock = new HeldDelays { Hold = true };
        await using var runner = Start(clock);
        runner.Engine.Next = FakeRun.Exits(1, FailingTap);
        var runId = await runner.QueueRunAsync(("retries", "3"), ("retry_delay", "30"));
        var testId = (await runner.Api.GetRunAsync(runId.ToString())).Json.GetProperty("testId").GetString()!;

        var execution = runner.ExecuteAsync(await runner.ReceiveAsync(runId));
        await clock.Waiting.WaitAsync(TimeSpan.FromSeconds(30));
        var disabled = await runner.Api.PatchTestAsync(testId, """{"enabled":false}""");
        Assert.True(disabled.Status == 200, disabled.ToString());
        clock.Release();
        await execution.WaitAsync(TimeSpan.FromSeconds(30));
        var run = await runner.FindAsync(runId);

        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal(1, run.Tries);
        Assert.Equal("The test was disabled after attempt 1 of 4; no further attempt.", run.Error);
        Assert.Single(runner.Engine.Created);
        Assert.Equal(2, (await runner.Client.AllRunCasesAsync(runId)).Count);
    }

    [Fact]
    public async Task A_runner_stopping_while_a_run_waits_to_retry_starts_no_further_try_and_hands_the_run_back()
    {
        var clock = new HeldDelays { Hold = true };
        await using var runner = Start(clock, new Dictionary<string, string?> { ["Byot:Runner:MaxInfraAttempts"] = "3" });
        runner.Engine.Next = FakeRun.Exits(1);
        var runId = await runner.QueueRunAsync(("retries", "3"), ("retry_delay", "30"));

        var execution = runner.ExecuteAsync(await runner.ReceiveAsync(runId));
        await clock.Waiting.WaitAsync(TimeSpan.FromSeconds(30));
        runner.StopRunner();
        await execution.WaitAsync(TimeSpan.FromSeconds(30));
        var run = await runner.FindAsync(runId);

        Assert.Equal(RunStatus.Queued, run.Status);
        Assert.Null(run.RunnerId);
        Assert.Contains("stopped between tries; handed back", run.Error, StringComparison.Ordinal);
        Assert.Single(runner.Engine.Created);
        Assert.Single(runner.Engine.Removed);
    }

    private FakeEngineRunner Start(HeldDelays clock, IDictionary<string, string?>? settings = null) =>
        FakeEngineRunner.Start(environment, settings, services => services.AddSingleton<TimeProvider>(clock));

    private static async Task<TestRun> RunAsync(FakeEngineRunner runner, params (string Name, string Value)[] fields)
    {
        var runId = await runner.QueueRunAsync(fields);
        await runner.ExecuteAsync(await runner.ReceiveAsync(runId));
        return await runner.FindAsync(runId);
    }

    private static async Task<System.Text.Json.JsonElement> AlertsAsync(FakeEngineRunner runner, Guid testId)
    {
        var id = testId.ToString();
        var response = await runner.Client.InvokeAsync("GET", $"/tests/{id}/alerts",
            r => runner.Client.Function<AlertsFunctions>().GetTestAlerts(r, id, CancellationToken.None));
        Assert.True(response.Status == 200, response.ToString());
        return response.Json;
    }
}
