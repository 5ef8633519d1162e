using Byot.Shared.Artifacts;
using Byot.Shared.Locations;
using Byot.Shared.Queue;
using Byot.Shared.Storage;
using Byot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Byot.Tests.Locations;

/// <summary>Real Runners, Docker and Azurite: a Runner receives only its location's runs, and lowering the shard
/// count under the drain rule (docs/scale.md) runs every run exactly once, those left on the old shards included.</summary>
public sealed class ShardDrainTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await LocationQueues.DeleteAsync(environment);

    [Fact]
    public async Task Lowering_the_shard_count_with_the_drain_rule_runs_every_run_exactly_once()
    {
        await using var four = await SenderAsync(shards: 4);
        await using var two = await SenderAsync(shards: 2);
        var api = new ByotApi(four);

        // Tests on the shards that go away and on those that stay.
        var tests = new List<Guid>();
        while (tests.Count(t => QueueShards.ShardOf(t, 4) >= 2) < 2 || tests.Count(t => QueueShards.ShardOf(t, 4) < 2) < 2)
        {
            var upload = await api.UploadAsync(RunnerKit.Shell("echo executed"), "test.sh", [("runtime", "go")]);
            tests.Add(upload.Json.GetProperty("id").GetGuid());
            Assert.True(tests.Count < 40, "test ids never covered the shards");
        }

        // Queued before the change (on four shards) and after it (on two), nothing received yet.
        var runs = new List<Guid>();
        foreach (var test in tests)
        {
            runs.Add(await QueueAsync(four, test));
            runs.Add(await QueueAsync(two, test));
        }

        var queue = four.Services.GetRequiredService<RunQueue>();
        Assert.True(await queue.ApproximateCountAsync(QueueShards.QueueName(environment.RunsQueue, LocationNames.Default, 3), CancellationToken.None)
            + await queue.ApproximateCountAsync(QueueShards.QueueName(environment.RunsQueue, LocationNames.Default, 2), CancellationToken.None) >= 2);

        await using (await RunnerHost.StartAsync(environment, new Dictionary<string, string?>
        {
            ["Byot:Locations:QueueShards"] = "2",
            ["Byot:Locations:DrainQueueShards"] = "4",
        }))
        {
            var wait = new ByotApi(two);
            Assert.Equal(runs.Count, runs.Distinct().Count());
            foreach (var run in runs)
            {
                var final = await wait.WaitForFinalAsync(run, TimeSpan.FromSeconds(120));
                Assert.Equal("passed", final.GetProperty("status").GetString());
                Assert.Equal(1, final.GetProperty("attempt").GetInt32());
                var log = await environment.ReadLogAsync($"{run:D}.log");
                Assert.Single(log.Split('\n'), l => l.EndsWith("[stdout] executed", StringComparison.Ordinal));
            }
        }

        // Every message was taken off its queue, on the old shards as on the current ones.
        for (var shard = 0; shard < 4; shard++)
        {
            Assert.Equal(0, await queue.ApproximateCountAsync(QueueShards.QueueName(environment.RunsQueue, LocationNames.Default, shard), CancellationToken.None));
        }
    }

    [Fact]
    public async Task A_runner_receives_only_the_runs_of_its_own_location()
    {
        await using var sender = await SenderAsync(shards: 2);
        var api = new ByotApi(sender);
        var upload = await api.UploadAsync(RunnerKit.Shell("echo executed"), "test.sh", [("runtime", "go"), ("locations", "default,eu-west")]);
        var test = upload.Json.GetProperty("id").GetGuid();

        // The default location's run is queued first: a Runner that took any queue's work would take it first.
        var home = await QueueAsync(sender, test, LocationNames.Default);
        var away = await QueueAsync(sender, test, "eu-west");
        await using (await RunnerHost.StartAsync(environment, new Dictionary<string, string?>
        {
            ["Byot:Runner:Location"] = "eu-west",
            ["Byot:Locations:QueueShards"] = "2",
        }))
        {
            var final = await api.WaitForFinalAsync(away, TimeSpan.FromSeconds(120));
            Assert.Equal("passed", final.GetProperty("status").GetString());
            Assert.Equal("eu-west", final.GetProperty("location").GetString());
        }

        var left = await api.GetRunAsync(home.ToString());
        Assert.Equal("queued", left.Json.GetProperty("status").GetString());
        var queue = sender.Services.GetRequiredService<RunQueue>();
        Assert.Contains(home, await LocationQueues.VisibleRunIdsAsync(environment, queue.QueueFor(test, LocationNames.Default)));
    }

    private async Task<FunctionsClient> SenderAsync(int shards)
    {
        var client = new FunctionsClient(environment, new Dictionary<string, string?>
        {
            ["Byot:Locations:Known:0"] = "eu-west",
            ["Byot:Locations:QueueShards"] = shards.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await client.Services.GetRequiredService<StorageProvisioner>().EnsureAsync(CancellationToken.None);
        return client;
    }

    /// <summary>A manual run queued the way run-now queues it (row, then message); in the test's first location a new
    /// run however many already wait, elsewhere the one waiting there.</summary>
    private static async Task<Guid> QueueAsync(FunctionsClient client, Guid test, string? location = null)
    {
        var runs = client.Services.GetRequiredService<RunStore>();
        var run = location is null
            ? (await runs.CreateManualAsync(Guid.NewGuid(), test, CancellationToken.None))!
            : (await runs.QueueManualAsync(Guid.NewGuid(), test, location, null, 1_000, CancellationToken.None)).Run!;
        await client.Services.GetRequiredService<RunQueue>().EnqueueAsync(QueuedRun.Now(run), CancellationToken.None);
        await runs.MarkEnqueuedAsync(run.Id, CancellationToken.None);
        return run.Id;
    }
}
