using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Runner;

/// <summary>docs/reliability.md rows 7, 8 and 10: at-least-once delivery on the real queue with real runners and containers.</summary>
public sealed class QueueDeliveryTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private RunnerKit kit = null!;

    private QueueClient RunsQueue => environment.Queues.GetQueueClient(environment.RunsQueue);

    private QueueClient PoisonQueue => environment.Queues.GetQueueClient(environment.PoisonQueue);

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment, startRunner: false);

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task Same_message_delivered_three_times_to_two_runners_executes_once()
    {
        await using var first = await RunnerHost.StartAsync(environment);
        await using var second = await RunnerHost.StartAsync(environment);
        var testId = await kit.UploadAsync(RunnerKit.Shell("echo executed\nsleep 1"));

        var runId = await kit.Api.RunNowOkAsync(testId);
        await kit.Queue.EnqueueAsync(new Byot.Shared.Queue.QueuedRun(runId, testId, "default", TimeSpan.Zero), CancellationToken.None);
        await kit.Queue.EnqueueAsync(new Byot.Shared.Queue.QueuedRun(runId, testId, "default", TimeSpan.Zero), CancellationToken.None);
        var run = await kit.Api.WaitForFinalAsync(runId);

        Assert.Equal("passed", run.GetProperty("status").GetString());
        Assert.Equal(1, run.GetProperty("attempt").GetInt32());
        Assert.Single(Regex.Matches(await kit.LogAsync(runId), @"\[stdout\] executed"));
        await WaitForEmptyAsync(RunsQueue);
        Assert.Equal(0, await CountAsync(PoisonQueue));
    }

    [Fact]
    public async Task Malformed_messages_go_to_the_poison_queue_and_the_runner_keeps_going()
    {
        await using var runner = await RunnerHost.StartAsync(environment);
        await PoisonQueue.ClearMessagesAsync();
        await RunsQueue.SendMessageAsync("this is not json");
        await RunsQueue.SendMessageAsync("""{"runId":"not-a-guid"}""");

        var (_, run) = await kit.RunAsync(RunnerKit.Shell("echo after the bad ones"));

        Assert.Equal("passed", run.GetProperty("status").GetString());
        await WaitForEmptyAsync(RunsQueue);
        var poisoned = (await PoisonQueue.PeekMessagesAsync(10)).Value.Select(m => m.Body.ToString()).ToList();
        Assert.Equal(2, poisoned.Count);
        Assert.Contains("this is not json", poisoned);
        Assert.Contains("""{"runId":"not-a-guid"}""", poisoned);
    }

    [Fact]
    public async Task Message_delivered_more_than_the_maximum_is_poisoned_and_its_run_closed_as_infra_error()
    {
        await PoisonQueue.ClearMessagesAsync();
        var testId = await kit.UploadAsync(RunnerKit.Shell("echo should never run"));
        var runId = await kit.Api.RunNowOkAsync(testId);

        // Two deliveries that never finish: a consumer that died twice.
        for (var i = 0; i < 2; i++)
        {
            var received = await RunsQueue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1));
            Assert.Single(received.Value);
            await Task.Delay(1_300);
        }

        await using var runner = await RunnerHost.StartAsync(environment, new Dictionary<string, string?> { ["Byot:Runner:MaxDequeueCount"] = "2" });
        var run = await kit.Api.WaitForFinalAsync(runId);

        Assert.Equal("infra_error", run.GetProperty("status").GetString());
        Assert.Contains("3 times", run.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await RunnerKit.LeftoversAsync(runId));
        await WaitForEmptyAsync(RunsQueue);
        var poisoned = Assert.Single((await PoisonQueue.PeekMessagesAsync(10)).Value);
        Assert.Contains(runId.ToString("D"), poisoned.Body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_longer_than_the_visibility_timeout_keeps_its_message_hidden_and_runs_once()
    {
        var fast = new Dictionary<string, string?> { ["Byot:Runner:VisibilityTimeoutSeconds"] = "5" };
        await using var first = await RunnerHost.StartAsync(environment, fast);
        await using var second = await RunnerHost.StartAsync(environment, fast);
        var testId = await kit.UploadAsync(RunnerKit.Shell("echo begin\nsleep 12\necho end"), fields: ("timeout", "60"));

        var runId = await kit.Api.RunNowOkAsync(testId);
        for (var second5 = 0; second5 < 10; second5++)
        {
            // Past two visibility timeouts the message must still be hidden: the heartbeat renews it.
            await Task.Delay(1_000);
            Assert.Empty((await RunsQueue.PeekMessagesAsync(1)).Value);
        }

        var run = await kit.Api.WaitForFinalAsync(runId);
        Assert.Equal("passed", run.GetProperty("status").GetString());
        Assert.Equal(1, run.GetProperty("attempt").GetInt32());
        var log = await kit.LogAsync(runId);
        Assert.Single(Regex.Matches(log, @"\[stdout\] begin"));
        Assert.Single(Regex.Matches(log, @"\[stdout\] end"));
        await WaitForEmptyAsync(RunsQueue);
    }

    private static async Task<int> CountAsync(QueueClient queue) => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    private static async Task WaitForEmptyAsync(QueueClient queue)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await CountAsync(queue) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{queue.Name} still has messages");
            await Task.Delay(100);
        }
    }
}
