using System.Text.RegularExpressions;
using Byot.Shared.Queue;
using Byot.Tests.Infrastructure;
using Xunit;
using S = Byot.Tests.Infrastructure.Scheduling;

namespace Byot.Tests.Scheduling;

/// <summary>Real scheduler, Runner, Docker and Azurite: runs due in the same second go out as batch messages
/// (docs/scale.md), a Runner expands them, and every run is run exactly once, also when a batch is delivered twice.</summary>
public sealed class BatchMessageTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private const int Tests = RunBatchMessage.MaxRuns + 2;

    private RunnerKit kit = null!;

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment, startRunner: false);

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task Runs_due_in_one_second_are_sent_as_batches_and_each_runs_once_even_when_a_batch_is_delivered_twice()
    {
        var tests = new List<Guid>();
        for (var i = 0; i < Tests; i++)
        {
            tests.Add(await kit.UploadAsync(RunnerKit.Shell("echo executed")));
        }

        // A slot a moment ago (inside the catch-up window), hourly so the next lies past the look-ahead: visible at once.
        var now = DateTimeOffset.UtcNow;
        foreach (var test in tests)
        {
            await S.SetScheduleAsync(environment, test, "1h", now.AddSeconds(-1));
        }

        var tick = await S.NewScheduler(kit.Client).TickAsync(now, CancellationToken.None);
        Assert.Equal(Tests, tick.RunsEnqueued);

        // One message of 32 runs and one of 2, not 34 messages.
        var queue = environment.Queues.GetQueueClient(environment.RunsQueue);
        var bodies = (await queue.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()).ToList();
        Assert.Equal([2, RunBatchMessage.MaxRuns], bodies.Select(b => RunBatchMessage.TryParse(b)!.RunIds.Count).Order());
        var runs = bodies.SelectMany(RunBatchMessage.RunIdsOf).ToList();
        Assert.Equal(Tests, runs.Distinct().Count());

        // The big batch delivered a second time (a Runner that died after expanding it, before deleting it).
        await queue.SendMessageAsync(bodies.Single(b => RunBatchMessage.TryParse(b)!.RunIds.Count == RunBatchMessage.MaxRuns));

        await using (await RunnerHost.StartAsync(environment, new Dictionary<string, string?>(RunnerKit.FastSettings)))
        {
            foreach (var run in runs)
            {
                var final = await kit.Api.WaitForFinalAsync(run, TimeSpan.FromSeconds(180));
                Assert.Equal("passed", final.GetProperty("status").GetString());
                Assert.Equal(1, final.GetProperty("attempt").GetInt32());
                Assert.Single(Regex.Matches(await kit.LogAsync(run), @"\[stdout\] executed"));
            }

            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the runs queue never emptied: a batch or a duplicate was left behind");
                await Task.Delay(250);
            }
        }

        Assert.Equal(Tests, await environment.ScalarAsync(
            "SELECT count(*) FROM runs WHERE id = ANY(@ids) AND status = 'passed' AND attempt = 1", ("ids", runs.ToArray())));
    }
}
