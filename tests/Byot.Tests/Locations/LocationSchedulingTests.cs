using Byot.Shared.Artifacts;
using Byot.Shared.Queue;
using Byot.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using S = Byot.Tests.Infrastructure.Scheduling;

namespace Byot.Tests.Locations;

/// <summary>The scheduler with locations on real Postgres and Azurite: one run per slot and location, each on its
/// location's shard, skipped or queued on its own, exactly once under concurrent ticks; the wake-up names the shard.</summary>
public sealed class LocationSchedulingTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Byot:Locations:Known:0"] = "eu-west",
        ["Byot:Locations:QueueShards"] = "3",
    };

    private FunctionsClient first = null!;
    private FunctionsClient second = null!;

    public async Task InitializeAsync()
    {
        first = new FunctionsClient(environment, Settings);
        second = new FunctionsClient(environment, Settings);
        await first.Services.GetRequiredService<StorageProvisioner>().EnsureAsync(CancellationToken.None);
        await environment.ScalarAsync("WITH d AS (DELETE FROM schedules RETURNING 1) SELECT count(*) FROM d");
    }

    public async Task DisposeAsync()
    {
        await first.DisposeAsync();
        await second.DisposeAsync();
        await LocationQueues.DeleteAsync(environment);
    }

    [Fact]
    public async Task Each_slot_makes_one_run_per_location_on_that_locations_shard_exactly_once_under_two_ticking_instances()
    {
        var api = new ByotApi(first);
        var tests = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            var upload = await api.UploadAsync("#!/bin/sh\n"u8.ToArray(), fields: [("runtime", "go"), ("locations", "default,eu-west")]);
            tests.Add(upload.Json.GetProperty("id").GetGuid());
        }

        // A slot a moment ago (inside the catch-up window): its messages are visible at once and can be looked at.
        var now = DateTimeOffset.UtcNow;
        foreach (var test in tests)
        {
            // Hourly: the next slot lies beyond the tick's 10-second look-ahead (a minutely one did near a minute's end).
            await S.SetScheduleAsync(environment, test, "1h", now.AddSeconds(-1));
        }

        var ticks = await Task.WhenAll(S.NewScheduler(first).TickAsync(now, CancellationToken.None), S.NewScheduler(second).TickAsync(now, CancellationToken.None));
        // At least these 8: other tests of this class share the database, and their schedules may come due in the same
        // ticks. Exactly once is checked per test and location below.
        Assert.True(ticks.Sum(t => t.RunsEnqueued) >= 8, $"enqueued {ticks.Sum(t => t.RunsEnqueued)}");

        var queue = first.Services.GetRequiredService<RunQueue>();
        foreach (var test in tests)
        {
            foreach (var location in new[] { "default", "eu-west" })
            {
                var runs = await RunsAsync(test, location);
                var run = Assert.Single(runs);
                Assert.Contains(run, await LocationQueues.VisibleRunIdsAsync(environment, queue.QueueFor(test, location)));
            }
        }

        // Every message sits on exactly one queue, the right one.
        var onQueues = new List<Guid>();
        foreach (var name in queue.AllQueues())
        {
            onQueues.AddRange(await LocationQueues.VisibleRunIdsAsync(environment, name));
        }

        Assert.Equal(8, onQueues.Count);
        Assert.Equal(8, onQueues.Distinct().Count());
    }

    [Fact]
    public async Task A_backlog_in_one_location_skips_only_that_locations_slot()
    {
        var api = new ByotApi(first);
        var upload = await api.UploadAsync("#!/bin/sh\n"u8.ToArray(), fields: [("runtime", "go"), ("locations", "default,eu-west")]);
        var test = upload.Json.GetProperty("id").GetGuid();
        var slot = Byot.Shared.Scheduling.ScheduleParser.Parse("1m", null, 10).NextAfter(DateTimeOffset.UtcNow.AddDays(2));
        await S.SetScheduleAsync(environment, test, "1m", slot);
        var scheduler = S.NewScheduler(first);
        await scheduler.TickAsync(slot.AddSeconds(-1), CancellationToken.None);

        // The default location's run finished; eu-west's is still queued (its Runners are behind) when the next slot comes.
        await environment.ScalarAsync(
            "WITH u AS (UPDATE runs SET status = 'passed', finished_at = now() WHERE test_id = @t AND location = 'default' RETURNING 1) SELECT count(*) FROM u",
            ("t", test));
        var next = await scheduler.TickAsync(slot.AddSeconds(59), CancellationToken.None);
        Assert.Equal((1, 1), (next.RunsQueued, next.RunsSkipped));
        Assert.Equal("queued", await StatusAsync(test, "default", slot.AddMinutes(1)));
        Assert.Equal("skipped", await StatusAsync(test, "eu-west", slot.AddMinutes(1)));
    }

    [Fact]
    public async Task Many_wake_ups_go_out_in_one_notify_and_name_the_shard_they_are_for()
    {
        var signals = first.Services.GetRequiredService<RunSignals>();
        var received = new System.Collections.Concurrent.ConcurrentQueue<RunWakeUp>();
        var listening = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var listen = signals.ListenAsync(received.Enqueue, listening.SetResult, stop.Token);
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var at = DateTimeOffset.UtcNow;
        RunWakeUp[] sent = [new("zq-eu-west-1", at), new("zq-eu-west-2", at.AddSeconds(3)), new("zq", at)];
        await signals.NotifyAsync(sent, CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (received.Count(w => w.Queue.StartsWith('z')) < sent.Length && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listen);
        Assert.Equal(sent.Select(s => (s.Queue, s.VisibleAt.UtcTicks)), received.Where(w => w.Queue.StartsWith('z')).Select(w => (w.Queue, w.VisibleAt.UtcTicks)));
    }

    private async Task<List<Guid>> RunsAsync(Guid test, string location)
    {
        await using var command = environment.DataSource.CreateCommand("SELECT id FROM runs WHERE test_id = @t AND location = @l AND trigger = 'schedule'");
        command.Parameters.AddWithValue("t", test);
        command.Parameters.AddWithValue("l", location);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private async Task<string?> StatusAsync(Guid test, string location, DateTimeOffset slot)
    {
        await using var command = environment.DataSource.CreateCommand("SELECT status FROM runs WHERE test_id = @t AND location = @l AND scheduled_for = @s");
        command.Parameters.AddWithValue("t", test);
        command.Parameters.AddWithValue("l", location);
        command.Parameters.AddWithValue("s", slot);
        return (string?)await command.ExecuteScalarAsync();
    }
}
