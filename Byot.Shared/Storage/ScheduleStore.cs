using Byot.Shared.Domain;
using Byot.Shared.Scheduling;
using Npgsql;
using NpgsqlTypes;

namespace Byot.Shared.Storage;

/// <summary>Schedules (definitions) and the slot runs the scheduler makes of them (observations). Methods that take
/// a <see cref="UnitOfWork"/> write inside the caller's transaction.</summary>
public sealed class ScheduleStore(NpgsqlDataSource dataSource)
{
    public async Task UpsertAsync(UnitOfWork unit, Guid testId, Schedule schedule, DateTimeOffset nextRunAt, CancellationToken cancellationToken)
    {
        await using var command = unit.Command("""
            INSERT INTO schedules (test_id, expression, time_zone, next_run_at)
            VALUES (@test, @expression, @zone, @next)
            ON CONFLICT (test_id) DO UPDATE
                SET expression = excluded.expression, time_zone = excluded.time_zone,
                    next_run_at = excluded.next_run_at, updated_at = now()
            """);
        command.Parameters.AddWithValue("test", testId);
        command.Parameters.AddWithValue("expression", schedule.Expression);
        command.Parameters.AddWithValue("zone", schedule.TimeZone);
        command.Parameters.AddWithValue("next", nextRunAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>After the schedule changed or was removed: slots already claimed and still queued that the schedule
    /// (now <paramref name="schedule"/>, or none) no longer has are cancelled, so they do not run; the test's
    /// <c>updated_at</c> moves, as for any change of its definition. Returns the slots cancelled.</summary>
    public async Task<int> OnScheduleChangedAsync(UnitOfWork unit, Guid testId, Schedule? schedule, CancellationToken cancellationToken)
    {
        var stale = new List<Guid>();
        await using (var find = unit.Command(
            "SELECT id, scheduled_for FROM runs WHERE test_id = @test AND trigger = 'schedule' AND status = 'queued' AND scheduled_for IS NOT NULL"))
        {
            find.Parameters.AddWithValue("test", testId);
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var slot = reader.GetFieldValue<DateTimeOffset>(1);
                if (schedule is null || schedule.NextAfter(slot.AddTicks(-1)) != slot)
                {
                    stale.Add(reader.GetGuid(0));
                }
            }
        }

        await using var command = unit.Command("""
            WITH cancelled AS (
                UPDATE runs SET status = 'cancelled', finished_at = now(),
                                error = 'Cancelled: the test''s schedule changed after this slot was claimed; the slot is no longer in it.'
                WHERE id = ANY(@ids) AND status = 'queued'
                RETURNING 1
            ), touched AS (
                UPDATE tests SET updated_at = now() WHERE id = @test RETURNING 1
            )
            SELECT count(*) FROM cancelled
            """);
        command.Parameters.AddWithValue("ids", stale.ToArray());
        command.Parameters.AddWithValue("test", testId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task RemoveAsync(UnitOfWork unit, Guid testId, CancellationToken cancellationToken)
    {
        await using var command = unit.Command("DELETE FROM schedules WHERE test_id = @test");
        command.Parameters.AddWithValue("test", testId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<(string Expression, string TimeZone, DateTimeOffset NextRunAt)?> FindAsync(Guid testId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT expression, time_zone, next_run_at FROM schedules WHERE test_id = @test");
        command.Parameters.AddWithValue("test", testId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2))
            : null;
    }

    /// <summary>Locks up to <paramref name="limit"/> due schedules of enabled tests; other instances skip them.</summary>
    public async Task<List<DueSchedule>> ClaimDueAsync(UnitOfWork unit, DateTimeOffset horizon, int limit, CancellationToken cancellationToken)
    {
        await using var command = unit.Command("""
            SELECT s.test_id, s.expression, s.time_zone, s.next_run_at, t.artifact_version, t.locations
            FROM schedules s JOIN tests t ON t.id = s.test_id
            WHERE t.enabled AND s.next_run_at < @horizon
            ORDER BY s.next_run_at
            LIMIT @limit
            FOR UPDATE OF s SKIP LOCKED
            """);
        command.Parameters.AddWithValue("horizon", horizon);
        command.Parameters.AddWithValue("limit", limit);
        var due = new List<DueSchedule>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new DueSchedule(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetInt32(4), reader.GetFieldValue<string[]>(5)));
        }

        return due;
    }

    /// <summary>Inserts one run per slot and location in one statement (a slot that already has a run there is left
    /// alone) and returns the new ones. A slot is skipped when it was missed, or when an earlier run of its test in the
    /// same location, due before <paramref name="overdue"/>, is still queued or running (a backlog; the previous slot's run, just starting, is not one: the runner checks
    /// again right before it starts a scheduled run).</summary>
    public async Task<List<SlotRun>> InsertSlotsAsync(UnitOfWork unit, IReadOnlyList<PlannedSlot> slots, DateTimeOffset overdue, CancellationToken cancellationToken)
    {
        var ids = slots.Select(_ => Guid.NewGuid()).ToArray();
        await using var command = unit.Command("""
            INSERT INTO runs (id, test_id, trigger, scheduled_for, artifact_version, status, log_blob, finished_at, error, location)
            SELECT v.id, v.test_id, 'schedule', v.slot, v.version, d.status, v.id::text || '.log',
                   CASE WHEN d.status = 'skipped' THEN now() END, d.reason, v.location
            FROM unnest(@ids, @tests, @slots, @versions, @missed, @paused, @locations) AS v(id, test_id, slot, version, missed, paused, location)
            CROSS JOIN LATERAL (
                SELECT CASE WHEN v.missed OR v.paused IS NOT NULL THEN 'skipped'
                            WHEN EXISTS (SELECT 1 FROM runs p
                                         WHERE p.test_id = v.test_id AND p.location = v.location AND p.status IN ('queued', 'running')
                                           AND coalesce(p.scheduled_for, p.queued_at) < @overdue)
                            THEN 'skipped' ELSE 'queued' END AS status,
                       CASE WHEN v.missed THEN 'Missed: the scheduler was not running at this slot''s time.'
                            WHEN v.paused IS NOT NULL THEN 'Skipped: maintenance window ''' || v.paused || ''' pauses this test.'
                            WHEN EXISTS (SELECT 1 FROM runs p
                                         WHERE p.test_id = v.test_id AND p.location = v.location AND p.status IN ('queued', 'running')
                                           AND coalesce(p.scheduled_for, p.queued_at) < @overdue)
                            THEN 'Skipped: the previous run of this test was still queued or running.' END AS reason
            ) d
            ON CONFLICT (test_id, scheduled_for, location) WHERE scheduled_for IS NOT NULL DO NOTHING
            RETURNING id, test_id, scheduled_for, status, location
            """);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids });
        command.Parameters.Add(new NpgsqlParameter("tests", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = slots.Select(s => s.TestId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("slots", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = slots.Select(s => s.ScheduledFor.UtcDateTime).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("versions", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = slots.Select(s => s.ArtifactVersion).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("missed", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = slots.Select(s => s.Missed).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("paused", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = slots.Select(s => s.PausedBy).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("locations", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = slots.Select(s => s.Location).ToArray() });
        command.Parameters.AddWithValue("overdue", overdue.ToUniversalTime());
        var created = new List<SlotRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            created.Add(new SlotRun(reader.GetGuid(0), reader.GetGuid(1), reader.GetFieldValue<DateTimeOffset>(2), RunStatuses.Parse(reader.GetString(3)), reader.GetString(4)));
        }

        return created;
    }

    public async Task AdvanceAsync(UnitOfWork unit, IReadOnlyList<(Guid TestId, DateTimeOffset Next)> advances, CancellationToken cancellationToken)
    {
        await using var command = unit.Command("""
            UPDATE schedules s SET next_run_at = v.next
            FROM unnest(@tests, @nexts) AS v(test_id, next)
            WHERE s.test_id = v.test_id
            """);
        command.Parameters.Add(new NpgsqlParameter("tests", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = advances.Select(a => a.TestId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("nexts", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = advances.Select(a => a.Next.UtcDateTime).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
