using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Queues;
using Byot.Shared.Scheduling;

namespace Byot.Bench;

/// <summary>Many tests due in one tick (100,000 by default, a minute's worth at 100,000 tests a minute): claimed in
/// batches, inserted one statement per batch, sent as batch messages (up to 32 runs of one queue and second each) in
/// parallel while the next batch is claimed, with one wake-up per queue and second, against a plain loop of one
/// sequential queue send per slot in the same run (what one message per run cost before; its rate is taken over the
/// first 10,000 sends, and baseline_s is the whole count at that rate). The line also says how many
/// messages the tick sent and the machine's load. Target: 2,000 slots/s (docs/scale.md).</summary>
internal static class FanOutBench
{
    private const int BaselineSample = 10_000;

    public static async Task<BenchLine> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        await using var environment = await BenchEnvironment.CreateAsync(cancellationToken);
        var slot = ScheduleParser.Parse("10s", null, 10).NextAfter(DateTimeOffset.UtcNow.AddMinutes(5));
        await using (var seed = environment.DataSource.CreateCommand("""
            WITH t AS (
                INSERT INTO tests (id, name, runtime, severity, timeout_seconds, failure_threshold, memory_mb, cpus, artifact_version)
                SELECT gen_random_uuid(), 'fan-out ' || i, 'go', 'P3', 30, 3, 64, 1, 1 FROM generate_series(1, @count) i
                RETURNING id)
            INSERT INTO schedules (test_id, expression, time_zone, next_run_at) SELECT id, '10s', 'UTC', @slot FROM t
            """))
        {
            seed.Parameters.AddWithValue("count", count);
            seed.Parameters.AddWithValue("slot", slot);
            await seed.ExecuteNonQueryAsync(cancellationToken);
        }

        var scheduler = environment.Service<SchedulerService>();
        var clock = Stopwatch.StartNew();
        var result = await scheduler.TickAsync(slot.AddSeconds(-1), cancellationToken);
        var byot = clock.Elapsed.TotalSeconds;
        if (result.RunsEnqueued != count)
        {
            throw new InvalidOperationException($"enqueued {result.RunsEnqueued} of {count}");
        }

        var messages = (await new QueueClient(BenchEnvironment.Storage, environment.QueueName).GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
        var load = double.Parse((await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Split(' ')[0], CultureInfo.InvariantCulture);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fan-out tick: {count} slots in {byot:0.000} s, {messages} messages"));
        var plain = new QueueClient(BenchEnvironment.Storage, environment.QueueName + "-plain");
        await plain.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        try
        {
            // The baseline's rate is taken over its first 10,000 sends: on a shared machine 100,000 sequential sends take
            // half an hour and measure nothing more (the rate of one sequential sender is flat).
            var sample = Math.Min(count, BaselineSample);
            var body = new Byot.Shared.Queue.RunMessage(Guid.NewGuid()).ToJson();
            clock.Restart();
            for (var i = 0; i < sample; i++)
            {
                await plain.SendMessageAsync(body, cancellationToken);
            }

            var baselinePerSecond = sample / clock.Elapsed.TotalSeconds;
            return new BenchLine("fan-out",
            [
                ("tests", count),
                ("ratio", count / byot / baselinePerSecond),
                ("byot_s", byot),
                ("baseline_s", count / baselinePerSecond),
                ("slots_per_s", count / byot),
                ("baseline_per_s", baselinePerSecond),
                ("baseline_sample", sample),
                ("messages", messages),
                ("load_1m", load),
            ], "target:slots_per_s>=2000");
        }
        finally
        {
            await plain.DeleteIfExistsAsync(CancellationToken.None);
        }
    }
}
