using Byot.Shared.Incidents;
using Npgsql;
using NpgsqlTypes;

namespace Byot.Shared.Storage;

/// <summary>Incidents as a resource: listing and reading them with what happened to them, and the two things people
/// do to them (acknowledge, resolve by hand), each in the caller's unit of work.</summary>
public sealed class IncidentStore(NpgsqlDataSource dataSource)
{
    // The runs that opened an incident: its test's unbroken streak of failures up to the run that opened it.
    private const int MaxFailingRuns = 50;

    private const string Columns = """
        i.id, i.kind, i.test_id, t.name, i.severity, i.dedup_key, i.failing_since, i.opened_at, i.opened_by_run_id,
        i.last_run_id, i.failure_count, i.reminders_sent, i.acknowledged_at, i.acknowledged_by, i.resolved_at,
        i.resolved_by_run_id, i.resolved_by, i.resolution_note, i.escalations_sent, i.next_escalation_at
        """;

    /// <summary>Incidents matching the filter, newest first, at most <paramref name="take"/>.</summary>
    public async Task<List<IncidentSummary>> ListAsync(IncidentFilter filter, int take, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM incidents i LEFT JOIN tests t ON t.id = i.test_id
            WHERE (@state = 'all' OR (@state = 'open') = (i.resolved_at IS NULL))
              AND (@test IS NULL OR i.test_id = @test)
              AND (@severity IS NULL OR i.severity = @severity)
              AND (@tag IS NULL OR EXISTS (SELECT 1 FROM test_tags g WHERE g.test_id = i.test_id AND g.tag = @tag))
              AND (@from IS NULL OR i.resolved_at IS NULL OR i.resolved_at >= @from)
              AND (@to IS NULL OR i.opened_at < @to)
              AND (@before_at IS NULL OR (i.opened_at, i.id) < (@before_at, @before_id))
            ORDER BY i.opened_at DESC, i.id DESC
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("state", filter.State);
        command.Parameters.Add(new NpgsqlParameter("test", NpgsqlDbType.Uuid) { Value = (object?)filter.TestId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("severity", NpgsqlDbType.Text) { Value = (object?)filter.Severity?.ToString() ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("tag", NpgsqlDbType.Text) { Value = (object?)filter.Tag ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = (object?)filter.From ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = (object?)filter.To ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("before_at", NpgsqlDbType.TimestampTz) { Value = (object?)filter.Before?.OpenedAt ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("before_id", NpgsqlDbType.Uuid) { Value = (object?)filter.Before?.Id ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", take);
        var incidents = new List<IncidentSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            incidents.Add(Read(reader));
        }

        return incidents;
    }

    public async Task<IncidentSummary?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM incidents i LEFT JOIN tests t ON t.id = i.test_id WHERE i.id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>The failures in a row, up to and including the run that opened the incident, oldest first.</summary>
    public async Task<List<IncidentRun>> FailingRunsAsync(Guid openedByRunId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH opener AS (SELECT test_id, queued_at FROM runs WHERE id = @run),
                 last_pass AS (SELECT max(r.queued_at) AS at FROM runs r, opener o
                               WHERE r.test_id = o.test_id AND r.status = {StatusSql.Passed} AND r.queued_at < o.queued_at)
            SELECT id, status, exit_code, finished_at, error FROM (
                SELECT r.id, r.status, r.exit_code, r.finished_at, r.error, r.queued_at FROM runs r, opener o, last_pass p
                WHERE r.test_id = o.test_id AND r.status IN {StatusSql.Failures}
                  AND r.queued_at <= o.queued_at AND r.queued_at > COALESCE(p.at, '-infinity')
                ORDER BY r.queued_at DESC, r.id DESC
                LIMIT @limit
            ) streak
            ORDER BY queued_at, id
            """);
        command.Parameters.AddWithValue("run", openedByRunId);
        command.Parameters.AddWithValue("limit", MaxFailingRuns);
        var runs = new List<IncidentRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new IncidentRun(
                reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return runs;
    }

    /// <summary>The incident's notifications on real channels (not the routing events), in the order written.</summary>
    public async Task<List<IncidentNotification>> NotificationsAsync(Guid incidentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, kind, channel, status, attempts, COALESCE(sent_at, next_attempt_at), last_status_code, last_error,
                   COALESCE((payload->>'reminder')::int, 0), COALESCE((payload->>'stage')::int, 0)
            FROM notifications
            WHERE incident_id = @incident AND channel <> '@route'
            ORDER BY seq
            """);
        command.Parameters.AddWithValue("incident", incidentId);
        var list = new List<IncidentNotification>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new IncidentNotification(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetInt32(8), reader.GetInt32(9)));
        }

        return list;
    }

    public async Task<List<IncidentEvent>> EventsAsync(Guid incidentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, at, kind, actor, note, window_name, held_until FROM incident_events WHERE incident_id = @incident ORDER BY at, id");
        command.Parameters.AddWithValue("incident", incidentId);
        var list = new List<IncidentEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new IncidentEvent(
                reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4))
            {
                WindowName = reader.IsDBNull(5) ? null : reader.GetString(5),
                HeldUntil = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
            });
        }

        return list;
    }

    /// <summary>The incident, locked until the unit ends. A test's alert state is locked first, in the order the
    /// evaluator locks them, so a hand action and a result being recorded never deadlock.</summary>
    public static async Task<IncidentSummary?> LockAsync(UnitOfWork unit, Guid id, CancellationToken cancellationToken)
    {
        await using (var state = unit.Command("""
            SELECT 1 FROM alert_state WHERE test_id = (SELECT test_id FROM incidents WHERE id = @id) FOR UPDATE
            """))
        {
            state.Parameters.AddWithValue("id", id);
            await state.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = unit.Command($"SELECT {Columns} FROM incidents i LEFT JOIN tests t ON t.id = i.test_id WHERE i.id = @id FOR UPDATE OF i");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Marks the open incident acknowledged and stops its reminders and escalation; false when it already was.</summary>
    public static async Task<bool> AcknowledgeAsync(UnitOfWork unit, Guid id, IncidentAction action, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = unit.Command("""
            UPDATE incidents SET acknowledged_at = @at, acknowledged_by = @by, next_reminder_at = NULL, next_escalation_at = NULL
            WHERE id = @id AND resolved_at IS NULL AND acknowledged_at IS NULL
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("at", at);
        command.Parameters.Add(new NpgsqlParameter("by", NpgsqlDbType.Text) { Value = (object?)action.By ?? DBNull.Value });
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return false;
        }

        // An escalation or reminder still waiting or being retried would page after the acknowledgement: withdrawn.
        await using (var withdraw = unit.Command("""
            UPDATE notifications SET status = 'superseded', last_error = 'Acknowledged before this was delivered.'
            WHERE incident_id = @id AND status = 'pending' AND kind IN ('escalation', 'reminder') AND channel <> '@route'
            """))
        {
            withdraw.Parameters.AddWithValue("id", id);
            await withdraw.ExecuteNonQueryAsync(cancellationToken);
        }

        await AddEventAsync(unit, id, IncidentEvent.AcknowledgedKind, action, at, cancellationToken);
        return true;
    }

    /// <summary>Closes the open incident by hand. The test's streak starts afresh, so a test still failing opens a
    /// new incident only after its threshold of failures again, not at its very next failure.</summary>
    public static async Task<bool> ResolveByHandAsync(UnitOfWork unit, Guid id, IncidentAction action, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using (var command = unit.Command("""
            UPDATE incidents SET resolved_at = @at, resolved_by = @by, resolution_note = @note, next_reminder_at = NULL,
                                 next_escalation_at = NULL
            WHERE id = @id AND resolved_at IS NULL
            """))
        {
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("at", at);
            command.Parameters.Add(new NpgsqlParameter("by", NpgsqlDbType.Text) { Value = (object?)action.By ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("note", NpgsqlDbType.Text) { Value = (object?)action.Note ?? DBNull.Value });
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        await using (var state = unit.Command("""
            UPDATE alert_state SET open_incident_id = NULL, consecutive_failures = 0, failing_since = NULL, updated_at = now()
            WHERE open_incident_id = @id
            """))
        {
            state.Parameters.AddWithValue("id", id);
            await state.ExecuteNonQueryAsync(cancellationToken);
        }

        await AddEventAsync(unit, id, IncidentEvent.ResolvedByHandKind, action, at, cancellationToken);
        return true;
    }

    /// <summary>Records that mute window <paramref name="window"/> holds the incident's <paramref name="held"/> (an
    /// <see cref="IncidentEvent"/> <c>Held*</c> value) until <paramref name="until"/>, in the caller's unit of work: the
    /// one that holds it.</summary>
    public static async Task AddMaintenanceHoldAsync(
        UnitOfWork unit, Guid incidentId, DateTimeOffset at, string held, string window, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var command = unit.Command("""
            INSERT INTO incident_events (id, incident_id, at, kind, note, window_name, held_until)
            VALUES (@event, @id, @at, 'maintenance_hold', @held, @window, @until)
            """);
        command.Parameters.AddWithValue("event", Guid.NewGuid());
        command.Parameters.AddWithValue("id", incidentId);
        command.Parameters.AddWithValue("at", at);
        command.Parameters.AddWithValue("held", held);
        command.Parameters.AddWithValue("window", window);
        command.Parameters.AddWithValue("until", until);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task AddEventAsync(UnitOfWork unit, Guid id, string kind, IncidentAction action, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = unit.Command("""
            INSERT INTO incident_events (id, incident_id, at, kind, actor, note) VALUES (@event, @id, @at, @kind, @by, @note)
            """);
        command.Parameters.AddWithValue("event", Guid.NewGuid());
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("at", at);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.Add(new NpgsqlParameter("by", NpgsqlDbType.Text) { Value = (object?)action.By ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("note", NpgsqlDbType.Text) { Value = (object?)action.Note ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static IncidentSummary Read(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetGuid(2), r.IsDBNull(3) ? null : r.GetString(3),
        r.GetString(4), r.GetString(5), r.GetFieldValue<DateTimeOffset>(6), r.GetFieldValue<DateTimeOffset>(7),
        r.IsDBNull(8) ? null : r.GetGuid(8), r.IsDBNull(9) ? null : r.GetGuid(9), r.GetInt32(10), r.GetInt32(11),
        r.IsDBNull(12) ? null : r.GetFieldValue<DateTimeOffset>(12), r.IsDBNull(13) ? null : r.GetString(13),
        r.IsDBNull(14) ? null : r.GetFieldValue<DateTimeOffset>(14), r.IsDBNull(15) ? null : r.GetGuid(15),
        r.IsDBNull(16) ? null : r.GetString(16), r.IsDBNull(17) ? null : r.GetString(17),
        r.GetInt32(18), r.IsDBNull(19) ? null : r.GetFieldValue<DateTimeOffset>(19));
}
