using Byot.Shared.Scheduling;
using Xunit;
using S = Byot.Tests.Infrastructure.Scheduling;

namespace Byot.Tests.Scheduling;

/// <summary>The scheduler on real Postgres and Azurite: docs/reliability.md row 6, concurrent instances, catch-up, sweeps.</summary>
public sealed class SchedulerTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private FunctionsClient first = null!;
    private FunctionsClient second = null!;
    private ByotApi api = null!;

    public async Task InitializeAsync()
    {
        first = new FunctionsClient(environment);
        second = new FunctionsClient(environment);
        api = new ByotApi(first);

        // Tests of this class share one database: start each from no schedules and an empty queue.
        await environment.ScalarAsync("WITH d AS (DELETE FROM schedules RETURNING 1) SELECT count(*) FROM d");
        await environment.Queues.GetQueueClient(environment.RunsQueue).ClearMessagesAsync();
    }

    public async Task DisposeAsync()
    {
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    [Fact]
    public async Task Two_instances_ticking_at_once_make_exactly_one_run_per_slot_with_no_gaps()
    {
        var tests = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            tests.Add(await api.UploadOkAsync("#!/bin/sh\n"u8.ToArray(), "go"));
        }

        var start = Byot.Shared.Scheduling.ScheduleParser.Parse("1m", null, 10).NextAfter(DateTimeOffset.UtcNow.AddDays(1));
        foreach (var test in tests.Take(3))
        {
            await S.SetScheduleAsync(environment, test, "10s", start);
        }

        foreach (var test in tests.Skip(3))
        {
            await S.SetScheduleAsync(environment, test, "*/15 * * * * *", start);
        }

        // 60 simulated ticks 10 s apart (10 minutes), each fired on both instances at the same moment, and every
        // fifth tick retried on both from the state it started with (a retried transaction, a stale replica), so
        // the same slots are offered again: no slot may be lost or doubled.
        var a = S.NewScheduler(first);
        var b = S.NewScheduler(second);
        var end = start;
        var enqueued = 0;
        for (var tick = 0; tick < 60; tick++)
        {
            var now = start.AddSeconds(tick * 10);
            var before = await NextRunsAsync();
            enqueued += await TickBothAsync(a, b, now);
            if (tick % 5 == 0)
            {
                await RestoreNextRunsAsync(before);
                enqueued += await TickBothAsync(b, a, now);
            }

            // Stand in for the runners, or the scheduler would rightly see a backlog and skip slots.
            await environment.ScalarAsync("WITH u AS (UPDATE runs SET status = 'passed', finished_at = now() WHERE status = 'queued' RETURNING 1) SELECT count(*) FROM u");

            end = now.AddSeconds(10);
        }

        foreach (var (test, step) in tests.Select((t, i) => (t, i < 3 ? 10 : 15)))
        {
            var slots = await SlotsAsync(test);
            var expected = Enumerable.Range(0, 1_000).Select(i => start.AddSeconds(i * step)).TakeWhile(s => s < end).ToList();
            Assert.Equal(expected, slots);
        }

        var total = await environment.ScalarAsync("SELECT count(*) FROM runs");
        Assert.Equal(total, await environment.ScalarAsync("SELECT count(*) FROM runs WHERE status = 'passed' AND enqueued_at IS NOT NULL"));
        Assert.Equal(total, enqueued);

        // Runs of one slot sent by one tick share a batch message (docs/scale.md): at least one message per slot, and
        // never more than one per run (a slot re-offered by the retried ticks sends nothing).
        var messages = await QueueLengthAsync();
        var distinctSlots = await environment.ScalarAsync("SELECT count(DISTINCT scheduled_for) FROM runs");
        Assert.InRange(messages, distinctSlots, total);
    }

    [Fact]
    public async Task The_same_slot_claimed_again_after_a_retried_tick_makes_no_second_run_or_message()
    {
        var test = await api.UploadOkAsync("#!/bin/sh\n"u8.ToArray(), "go");
        var slot = S.NextTenSecondSlot(DateTimeOffset.UtcNow.AddDays(2));
        await S.SetScheduleAsync(environment, test, "10s", slot);
        var before = await QueueLengthAsync();

        await S.NewScheduler(first).TickAsync(slot, CancellationToken.None);
        // A tick that re-reads old state (a replica, a retried transaction) offers the same slot again.
        await S.SetScheduleAsync(environment, test, "10s", slot);
        var again = await S.NewScheduler(second).TickAsync(slot, CancellationToken.None);

        Assert.Equal(1, again.SchedulesClaimed);
        Assert.Equal(0, again.RunsQueued);
        Assert.Equal([slot], await SlotsAsync(test));
        Assert.Equal(before + 1, await QueueLengthAsync());
    }

    [Fact]
    public async Task Slots_missed_beyond_the_catch_up_window_are_recorded_as_skipped_not_fired()
    {
        var test = await api.UploadOkAsync("#!/bin/sh\n"u8.ToArray(), "go");
        var now = S.NextTenSecondSlot(DateTimeOffset.UtcNow.AddDays(3));
        await S.SetScheduleAsync(environment, test, "10s", now.AddMinutes(-10));
        var before = await QueueLengthAsync();

        var result = await S.NewScheduler(first).TickAsync(now, CancellationToken.None);

        // 10 minutes late: the 54 slots older than the 60 s window are skipped; the 7 within it still run.
        var statuses = await StatusesAsync(test);
        Assert.Equal(54, statuses.Count(s => s.Status == "skipped"));
        Assert.All(statuses.Where(s => s.Status == "skipped"), s => Assert.StartsWith("Missed", s.Error, StringComparison.Ordinal));
        Assert.Equal(7, statuses.Count(s => s.Status == "queued"));
        Assert.Equal(7, result.RunsEnqueued);
        Assert.Equal(before + 7, await QueueLengthAsync());
        Assert.Equal(61, statuses.Select(s => s.Slot).Distinct().Count());
    }

    [Fact]
    public async Task A_slot_whose_previous_run_has_been_running_for_more_than_a_tick_is_skipped()
    {
        var test = await api.UploadOkAsync("#!/bin/sh\n"u8.ToArray(), "go");
        var runId = await api.RunNowOkAsync(test);
        await environment.ScalarAsync("WITH u AS (UPDATE runs SET status = 'running', runner_id = 'elsewhere', lease_until = now() + interval '1 minute', queued_at = now() - interval '5 minutes', started_at = now() - interval '5 minutes' WHERE id = @id RETURNING 1) SELECT count(*) FROM u", ("id", runId));
        var now = DateTimeOffset.UtcNow;
        await S.SetScheduleAsync(environment, test, "10s", S.NextTenSecondSlot(now.AddSeconds(-10)));

        await S.NewScheduler(first).TickAsync(now, CancellationToken.None);

        var scheduled = (await StatusesAsync(test)).Where(s => s.Slot is not null).ToList();
        Assert.NotEmpty(scheduled);
        Assert.All(scheduled, s => Assert.Equal("skipped", s.Status));
        Assert.Contains(scheduled, s => s.Error!.Contains("still queued or running", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Disabled_tests_are_not_scheduled()
    {
        var test = await api.UploadOkAsync("#!/bin/sh\n"u8.ToArray(), "go");
        var now = S.NextTenSecondSlot(DateTimeOffset.UtcNow.AddDays(4));
        await S.SetScheduleAsync(environment, test, "10s", now);
        await environment.ScalarAsync("WITH u AS (UPDATE tests SET enabled = false WHERE id = @id RETURNING 1) SELECT count(*) FROM u", ("id", test));

        await S.NewScheduler(first).TickAsync(now, CancellationToken.None);

        Assert.Empty(await StatusesAsync(test));
    }

    [Fact]
    public async Task The_sweep_enqueues_runs_that_never_reached_the_queue_and_recovers_lost_leases()
    {
        var test = await api.UploadOkAsync("#!/bin/sh\n"u8.ToArray(), "go");
        var lost = Guid.NewGuid();
        var orphaned = Guid.NewGuid();
        var exhausted = Guid.NewGuid();
        await environment.ScalarAsync("""
            WITH i AS (
                INSERT INTO runs (id, test_id, trigger, artifact_version, status, queued_at, attempt, runner_id, lease_until)
                VALUES (@lost, @t, 'manual', 1, 'queued', now() - interval '5 minutes', 0, NULL, NULL),
                       (@orphaned, @t, 'manual', 1, 'running', now() - interval '5 minutes', 1, 'dead', now() - interval '2 minutes'),
                       (@exhausted, @t, 'manual', 1, 'running', now() - interval '5 minutes', 3, 'dead', now() - interval '2 minutes')
                RETURNING 1)
            SELECT count(*) FROM i
            """, ("lost", lost), ("orphaned", orphaned), ("exhausted", exhausted), ("t", test));
        var before = await QueueLengthAsync();

        var result = await S.NewSweeper(first).SweepAsync(CancellationToken.None);

        Assert.Equal(1, result.Requeued);
        Assert.Equal(1, result.ClosedAsInfraError);
        Assert.Equal(before + 2, await QueueLengthAsync());
        Assert.Equal(1, await environment.ScalarAsync("SELECT count(*) FROM runs WHERE id = @id AND status = 'queued' AND enqueued_at IS NOT NULL", ("id", lost)));
        Assert.Equal(1, await environment.ScalarAsync("SELECT count(*) FROM runs WHERE id = @id AND status = 'queued' AND runner_id IS NULL AND enqueued_at IS NOT NULL", ("id", orphaned)));
        Assert.Equal(1, await environment.ScalarAsync("SELECT count(*) FROM runs WHERE id = @id AND status = 'infra_error' AND error LIKE '%stopped renewing%'", ("id", exhausted)));

        var again = await S.NewSweeper(second).SweepAsync(CancellationToken.None);
        Assert.Equal(new Byot.Shared.Scheduling.SweepResult(0, 0, 0), again);
    }

    [Fact]
    public async Task A_run_is_hidden_on_the_queue_until_its_scheduled_second()
    {
        var test = await api.UploadOkAsync("#!/bin/sh\n"u8.ToArray(), "go");
        var queue = environment.Queues.GetQueueClient(environment.RunsQueue);
        await DrainAsync();
        var slot = S.NextTenSecondSlot(DateTimeOffset.UtcNow.AddSeconds(4));
        await S.SetScheduleAsync(environment, test, "10s", slot);

        // A tick a second before the slot claims it (and only it: the next slot is past the look-ahead).
        var result = await S.NewScheduler(first).TickAsync(slot.AddSeconds(-1), CancellationToken.None);
        Assert.Equal(1, result.RunsEnqueued);

        Assert.Empty((await queue.PeekMessagesAsync(32)).Value);
        while (DateTimeOffset.UtcNow < slot.AddSeconds(2))
        {
            await Task.Delay(200);
        }

        var visible = (await queue.ReceiveMessagesAsync(32)).Value;
        var message = Assert.Single(visible);
        var runId = Byot.Shared.Queue.RunMessage.TryParse(message.Body.ToString())!.RunId;
        Assert.Equal(1, await environment.ScalarAsync("SELECT count(*) FROM runs WHERE id = @id AND scheduled_for = @slot", ("id", runId), ("slot", slot)));
    }

    private static async Task<int> TickBothAsync(SchedulerService one, SchedulerService other, DateTimeOffset now)
    {
        var results = await Task.WhenAll(one.TickAsync(now, CancellationToken.None), other.TickAsync(now, CancellationToken.None));
        return results.Sum(r => r.RunsEnqueued);
    }

    private async Task<List<(Guid Test, DateTimeOffset Next)>> NextRunsAsync()
    {
        await using var command = environment.DataSource.CreateCommand("SELECT test_id, next_run_at FROM schedules");
        var rows = new List<(Guid, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return rows;
    }

    private async Task RestoreNextRunsAsync(List<(Guid Test, DateTimeOffset Next)> rows)
    {
        foreach (var (test, next) in rows)
        {
            await environment.ScalarAsync("WITH u AS (UPDATE schedules SET next_run_at = @n WHERE test_id = @t RETURNING 1) SELECT count(*) FROM u", ("t", test), ("n", next));
        }
    }

    private async Task DrainAsync()
    {
        var queue = environment.Queues.GetQueueClient(environment.RunsQueue);
        await queue.ClearMessagesAsync();
    }

    private async Task<int> QueueLengthAsync() =>
        (await environment.Queues.GetQueueClient(environment.RunsQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount;

    private async Task<List<DateTimeOffset>> SlotsAsync(Guid test)
    {
        await using var command = environment.DataSource.CreateCommand("SELECT scheduled_for FROM runs WHERE test_id = @t AND scheduled_for IS NOT NULL ORDER BY scheduled_for");
        command.Parameters.AddWithValue("t", test);
        var slots = new List<DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            slots.Add(reader.GetFieldValue<DateTimeOffset>(0));
        }

        return slots;
    }

    private async Task<List<(DateTimeOffset? Slot, string Status, string? Error)>> StatusesAsync(Guid test)
    {
        await using var command = environment.DataSource.CreateCommand("SELECT scheduled_for, status, error FROM runs WHERE test_id = @t ORDER BY scheduled_for NULLS FIRST");
        command.Parameters.AddWithValue("t", test);
        var rows = new List<(DateTimeOffset?, string, string?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return rows;
    }
}
