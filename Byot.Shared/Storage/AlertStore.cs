using System.Text.Json;
using Byot.Shared.Domain;
using Byot.Shared.Domain.Alerting;
using Npgsql;
using NpgsqlTypes;

namespace Byot.Shared.Storage;

/// <summary>Alert state, incidents and the outbox's insert side. What a run completion reads and writes takes the
/// <see cref="UnitOfWork"/> that records the run's result, so a result and its consequences commit together or not at all.</summary>
public sealed class AlertStore(NpgsqlDataSource dataSource)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Any constant, the same in every BYOT process; distinct from the migrator's.
    private const long InfraBurstLockKey = 0x42_59_4F_54_00_04;

    private const string IncidentColumns = """
        i.id, i.kind, i.test_id, i.severity, i.dedup_key, i.failing_since, i.opened_at, i.last_run_id,
        i.failure_count, i.next_reminder_at, i.reminders_sent, i.resolved_at
        """;

    public NpgsqlDataSource DataSource => dataSource;

    public static Task<AlertRun?> ReadRunAsync(UnitOfWork unit, Guid runId, CancellationToken cancellationToken) =>
        ReadRunAsync(unit.Connection, unit.Transaction, runId, cancellationToken);

    public static async Task<AlertRun?> ReadRunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid runId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT r.id, r.test_id, r.status, r.trigger, r.exit_code, r.error, r.log_blob, r.log_bytes,
                   t.name, t.severity, t.failure_threshold, t.reminder_minutes, t.resolve_after_passes
            FROM runs r JOIN tests t ON t.id = r.test_id
            WHERE r.id = @id
            """, connection, transaction);
        command.Parameters.AddWithValue("id", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new AlertRun(
            reader.GetGuid(0), reader.GetGuid(1), RunStatuses.Parse(reader.GetString(2)), reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetInt64(7), reader.GetString(8),
            Enum.Parse<Severity>(reader.GetString(9)), reader.GetInt32(10),
            reader.IsDBNull(11) ? null : reader.GetInt32(11), reader.IsDBNull(12) ? null : reader.GetInt32(12));
    }

    /// <summary>The test's alert state, locked until the transaction ends (created on first use).</summary>
    public static async Task<AlertState> LockStateAsync(UnitOfWork unit, Guid testId, CancellationToken cancellationToken)
    {
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO alert_state (test_id) VALUES (@test) ON CONFLICT (test_id) DO NOTHING", unit.Connection, unit.Transaction))
        {
            insert.Parameters.AddWithValue("test", testId);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand("""
            SELECT test_id, consecutive_failures, consecutive_passes, failing_since, open_incident_id, flaky, flips, last_run_id,
                   joined_incident_id
            FROM alert_state WHERE test_id = @test FOR UPDATE
            """, unit.Connection, unit.Transaction);
        command.Parameters.AddWithValue("test", testId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ReadState(reader);
    }

    public static async Task SaveStateAsync(UnitOfWork unit, AlertState state, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE alert_state SET consecutive_failures = @failures, consecutive_passes = @passes, failing_since = @since,
                                   open_incident_id = @incident, flaky = @flaky, flips = @flips, last_run_id = @run,
                                   joined_incident_id = @joined, updated_at = now()
            WHERE test_id = @test
            """, unit.Connection, unit.Transaction);
        command.Parameters.AddWithValue("test", state.TestId);
        command.Parameters.AddWithValue("failures", state.ConsecutiveFailures);
        command.Parameters.AddWithValue("passes", state.ConsecutivePasses);
        command.Parameters.AddWithValue("since", (object?)state.FailingSince ?? DBNull.Value);
        command.Parameters.AddWithValue("incident", (object?)state.OpenIncidentId ?? DBNull.Value);
        command.Parameters.AddWithValue("flaky", state.Flaky);
        command.Parameters.AddWithValue("flips", state.Flips);
        command.Parameters.AddWithValue("run", (object?)state.LastRunId ?? DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter("joined", NpgsqlDbType.Uuid) { Value = (object?)state.JoinedIncidentId ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The run failed only in quarantined cases and counted as a pass (docs/alerting.md, "Quarantine").</summary>
    public static async Task MarkQuarantinedOnlyAsync(UnitOfWork unit, Guid runId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("UPDATE runs SET quarantined_only = true WHERE id = @run", unit.Connection, unit.Transaction);
        command.Parameters.AddWithValue("run", runId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The test's most recent counted runs, newest first (<see cref="StatusSql.RecentCounted"/>).</summary>
    public static async Task<List<CountedResult>> RecentCountedAsync(UnitOfWork unit, Guid testId, int limit, CancellationToken cancellationToken)
    {
        await using var command = unit.Command(StatusSql.RecentCounted("@test", "@limit"));
        command.Parameters.AddWithValue("test", testId);
        command.Parameters.AddWithValue("limit", limit);
        return await StatusSql.ReadRecentCountedAsync(command, cancellationToken);
    }

    /// <summary>For a test with several locations: k and each location's latest <paramref name="window"/> counted runs
    /// (newest first); null when the test runs from one location.</summary>
    public static async Task<LocationHistory?> ReadLocationHistoryAsync(UnitOfWork unit, Guid testId, int window, CancellationToken cancellationToken)
    {
        await using var command = unit.Command($"""
            SELECT t.failing_locations, l.location,
                   coalesce(array_agg(r.failed ORDER BY r.queued_at DESC, r.id DESC) FILTER (WHERE r.failed IS NOT NULL), ARRAY[]::boolean[]),
                   coalesce(array_agg(r.id ORDER BY r.queued_at DESC, r.id DESC) FILTER (WHERE r.failed IS NOT NULL), ARRAY[]::uuid[])
            FROM tests t
            CROSS JOIN LATERAL unnest(t.locations) WITH ORDINALITY AS l(location, position)
            LEFT JOIN LATERAL (
                -- A run decided as failing only in quarantined cases counted as a pass (CompletionRules).
                SELECT status <> {StatusSql.Passed} AND NOT quarantined_only AS failed, queued_at, id FROM runs
                WHERE test_id = t.id AND location = l.location AND status IN {StatusSql.Counted}
                ORDER BY {StatusSql.RecentOrder}
                LIMIT @window
            ) r ON true
            WHERE t.id = @test AND cardinality(t.locations) > 1
            GROUP BY t.failing_locations, l.location, l.position
            ORDER BY l.position
            """);
        command.Parameters.AddWithValue("test", testId);
        command.Parameters.AddWithValue("window", window);
        var required = 1;
        var streaks = new List<LocationStreak>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            required = reader.GetInt32(0);
            streaks.Add(new LocationStreak(reader.GetString(1), reader.GetFieldValue<bool[]>(2), reader.GetFieldValue<Guid[]>(3)));
        }

        return streaks.Count > 1 ? new LocationHistory(required, streaks) : null;
    }

    /// <summary>Inserts an open incident; null when one is already open for the same test (or, for operator
    /// incidents, any operator incident is open).</summary>
    public static async Task<Incident?> TryOpenIncidentAsync(UnitOfWork unit, Incident incident, Guid? runId, CancellationToken cancellationToken)
    {
        var conflict = incident.Kind == Incident.TestKind
            ? "(test_id) WHERE kind = 'test' AND resolved_at IS NULL"
            : "(kind) WHERE kind = 'operator' AND resolved_at IS NULL";
        await using var command = new NpgsqlCommand($"""
            INSERT INTO incidents AS i (id, kind, test_id, severity, dedup_key, failing_since, opened_at, opened_by_run_id,
                                        last_run_id, failure_count, next_reminder_at)
            VALUES (@id, @kind, @test, @severity, @dedup, @since, @opened, @run, @run, @count, @reminder)
            ON CONFLICT {conflict} DO NOTHING
            RETURNING {IncidentColumns}
            """, unit.Connection, unit.Transaction);
        command.Parameters.AddWithValue("id", incident.Id);
        command.Parameters.AddWithValue("kind", incident.Kind);
        command.Parameters.AddWithValue("test", (object?)incident.TestId ?? DBNull.Value);
        command.Parameters.AddWithValue("severity", incident.Severity);
        command.Parameters.AddWithValue("dedup", incident.DedupKey);
        command.Parameters.AddWithValue("since", incident.FailingSince);
        command.Parameters.AddWithValue("opened", incident.OpenedAt);
        command.Parameters.AddWithValue("run", (object?)runId ?? DBNull.Value);
        command.Parameters.AddWithValue("count", incident.FailureCount);
        command.Parameters.AddWithValue("reminder", (object?)incident.NextReminderAt ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadIncident(reader, 0) : null;
    }

    public static Task<Incident?> FindIncidentAsync(UnitOfWork unit, Guid incidentId, CancellationToken cancellationToken) =>
        FindIncidentAsync(unit.Connection, unit.Transaction, incidentId, cancellationToken);

    public static async Task<Incident?> FindIncidentAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid incidentId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {IncidentColumns} FROM incidents i WHERE i.id = @id", connection, transaction);
        command.Parameters.AddWithValue("id", incidentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadIncident(reader, 0) : null;
    }

    public static async Task<Incident?> FindOpenOperatorIncidentAsync(UnitOfWork unit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {IncidentColumns} FROM incidents i WHERE i.kind = 'operator' AND i.resolved_at IS NULL FOR UPDATE",
            unit.Connection, unit.Transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadIncident(reader, 0) : null;
    }

    public static async Task RecordFailureAsync(UnitOfWork unit, Guid incidentId, Guid runId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "UPDATE incidents SET failure_count = failure_count + 1, last_run_id = @run WHERE id = @id AND resolved_at IS NULL",
            unit.Connection, unit.Transaction);
        command.Parameters.AddWithValue("id", incidentId);
        command.Parameters.AddWithValue("run", runId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<bool> ResolveIncidentAsync(UnitOfWork unit, Guid incidentId, Guid? runId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE incidents SET resolved_at = @at, resolved_by_run_id = @run, next_reminder_at = NULL, next_escalation_at = NULL
            WHERE id = @id AND resolved_at IS NULL
            """, unit.Connection, unit.Transaction);
        command.Parameters.AddWithValue("id", incidentId);
        command.Parameters.AddWithValue("run", (object?)runId ?? DBNull.Value);
        command.Parameters.AddWithValue("at", at);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Serialises burst checks until the transaction ends, so concurrent infra_errors are counted together.</summary>
    public static async Task LockInfraBurstAsync(UnitOfWork unit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", unit.Connection, unit.Transaction);
        command.Parameters.AddWithValue("key", InfraBurstLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>infra_error runs that finished within the window.</summary>
    public static async Task<long> CountInfraErrorsAsync(UnitOfWork unit, TimeSpan window, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT count(*) FROM runs
            WHERE status = 'infra_error' AND finished_at > now() - @window
              AND finished_at > COALESCE((SELECT max(resolved_at) FROM incidents WHERE kind = 'operator'), '-infinity')
            """, unit.Connection, unit.Transaction);
        command.Parameters.AddWithValue("window", window);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The infra_error runs <see cref="CountInfraErrorsAsync"/> counts, oldest first, at most
    /// <paramref name="limit"/>; with every runner among all of them.</summary>
    public static async Task<(List<BurstRun> Runs, List<string> Runners, DateTimeOffset? Since)> ReadInfraBurstAsync(
        UnitOfWork unit, TimeSpan window, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            WITH burst AS (
                SELECT r.id, t.name, r.runner_id, r.finished_at FROM runs r JOIN tests t ON t.id = r.test_id
                WHERE r.status = 'infra_error' AND r.finished_at > now() - @window
                  AND r.finished_at > COALESCE((SELECT max(resolved_at) FROM incidents WHERE kind = 'operator'), '-infinity')
            )
            SELECT 'run', id, name, runner_id, finished_at FROM (SELECT * FROM burst ORDER BY finished_at, id LIMIT @limit) listed
            UNION ALL
            SELECT DISTINCT 'runner', NULL::uuid, NULL, runner_id, NULL::timestamptz FROM burst WHERE runner_id IS NOT NULL
            UNION ALL
            SELECT 'since', NULL, NULL, NULL, min(finished_at) FROM burst
            """, unit.Connection, unit.Transaction);
        command.Parameters.AddWithValue("window", window);
        command.Parameters.AddWithValue("limit", limit);
        var runs = new List<BurstRun>();
        var runners = new List<string>();
        DateTimeOffset? since = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            switch (reader.GetString(0))
            {
                case "run":
                    runs.Add(new BurstRun(reader.GetGuid(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
                    break;
                case "runner":
                    runners.Add(reader.GetString(3));
                    break;
                default:
                    since = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4);
                    break;
            }
        }

        runners.Sort(StringComparer.Ordinal);
        return (runs, runners, since);
    }

    /// <summary>Adds a notification unless one with the same dedup key exists; true when added.</summary>
    public static Task<bool> EnqueueAsync(UnitOfWork unit, OutboxNotification n, CancellationToken cancellationToken) =>
        EnqueueAsync(unit.Connection, unit.Transaction, n, cancellationToken);

    public static async Task<bool> EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, OutboxNotification n, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO notifications (id, incident_id, kind, channel, dedup_key, payload, status, next_attempt_at)
            VALUES (@id, @incident, @kind, @channel, @dedup, @payload, 'pending', @next)
            ON CONFLICT (dedup_key) DO NOTHING
            """, connection, transaction);
        command.Parameters.AddWithValue("id", n.Id);
        command.Parameters.AddWithValue("incident", (object?)n.IncidentId ?? DBNull.Value);
        command.Parameters.AddWithValue("kind", n.Kind);
        command.Parameters.AddWithValue("channel", n.Channel);
        command.Parameters.AddWithValue("dedup", n.DedupKey);
        command.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(n.Payload, Json) });
        command.Parameters.AddWithValue("next", n.NextAttemptAt);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Withdraws the incident's notifications that are still held (never attempted, due later) and its
    /// pending reminders and escalations; returns the channels whose trigger was withdrawn (they never heard of the incident).</summary>
    public static async Task<HashSet<string>> SupersedeHeldAsync(UnitOfWork unit, Guid incidentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE notifications SET status = 'superseded', last_error = 'The incident resolved before this was sent.'
            WHERE incident_id = @incident AND status = 'pending' AND attempts = 0 AND channel <> '@route'
              AND (kind IN ('reminder', 'escalation') OR (kind = 'trigger' AND next_attempt_at > @now))
            RETURNING kind, channel
            """, unit.Connection, unit.Transaction);
        command.Parameters.AddWithValue("incident", incidentId);
        command.Parameters.AddWithValue("now", now);
        var channels = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetString(0) == NotificationKind.Trigger)
            {
                channels.Add(reader.GetString(1));
            }
        }

        return channels;
    }

    /// <summary>Incident events not routed to channels yet, oldest first, locked (skipping ones another instance holds).</summary>
    public static async Task<List<OutboxNotification>> LockUnroutedAsync(UnitOfWork unit, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT {OutboxStore.Columns} FROM notifications n
            WHERE n.status = 'pending' AND n.channel = '@route'
            ORDER BY n.seq
            LIMIT @limit
            FOR UPDATE SKIP LOCKED
            """, unit.Connection, unit.Transaction);
        command.Parameters.AddWithValue("limit", limit);
        return await OutboxStore.ReadAllAsync(command, cancellationToken);
    }

    public static async Task MarkRoutedAsync(UnitOfWork unit, Guid id, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("UPDATE notifications SET status = 'routed' WHERE id = @id", unit.Connection, unit.Transaction);
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The test's own reminder interval, when it overrides its severity's.</summary>
    public static async Task<int?> ReminderOverrideAsync(UnitOfWork unit, Guid testId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT reminder_minutes FROM tests WHERE id = @id", unit.Connection, unit.Transaction);
        command.Parameters.AddWithValue("id", testId);
        return await command.ExecuteScalarAsync(cancellationToken) is int minutes ? minutes : null;
    }

    /// <summary>Open test incidents whose reminder is due, locked (skipping ones another instance holds).</summary>
    public static async Task<List<(Incident Incident, AlertRun? LastRun)>> LockDueRemindersAsync(UnitOfWork unit, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var due = new List<(Incident, Guid?)>();
        await using (var command = new NpgsqlCommand($"""
            SELECT {IncidentColumns} FROM incidents i
            WHERE i.resolved_at IS NULL AND i.acknowledged_at IS NULL AND i.next_reminder_at <= @now
            ORDER BY i.next_reminder_at
            LIMIT @limit
            FOR UPDATE SKIP LOCKED
            """, unit.Connection, unit.Transaction))
        {
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("limit", limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var incident = ReadIncident(reader, 0);
                due.Add((incident, incident.LastRunId));
            }
        }

        var result = new List<(Incident, AlertRun?)>();
        foreach (var (incident, lastRun) in due)
        {
            result.Add((incident, lastRun is { } id ? await ReadRunAsync(unit.Connection, unit.Transaction, id, cancellationToken) : null));
        }

        return result;
    }

    public static async Task SetReminderAsync(UnitOfWork unit, Guid incidentId, DateTimeOffset? next, int sent, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "UPDATE incidents SET next_reminder_at = @next, reminders_sent = @sent WHERE id = @id", unit.Connection, unit.Transaction);
        command.Parameters.AddWithValue("id", incidentId);
        command.Parameters.AddWithValue("next", (object?)next ?? DBNull.Value);
        command.Parameters.AddWithValue("sent", sent);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Schedules the incident's escalation: <paramref name="pagedAt"/> is when its first page went out (the
    /// stage delays count from it), <paramref name="next"/> when the next stage is due (null: no further stage).</summary>
    public static async Task SetEscalationAsync(UnitOfWork unit, Guid incidentId, DateTimeOffset? pagedAt, DateTimeOffset? next, int sent, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE incidents SET paged_at = COALESCE(@paged, paged_at), next_escalation_at = @next, escalations_sent = @sent
            WHERE id = @id
            """, unit.Connection, unit.Transaction);
        command.Parameters.AddWithValue("id", incidentId);
        command.Parameters.Add(new NpgsqlParameter("paged", NpgsqlDbType.TimestampTz) { Value = (object?)pagedAt ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("next", NpgsqlDbType.TimestampTz) { Value = (object?)next ?? DBNull.Value });
        command.Parameters.AddWithValue("sent", sent);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Open, unacknowledged test incidents whose next escalation stage is due, locked (skipping ones another
    /// instance holds): a second timer instance or a retried tick sees the stage already advanced, or skips the row.</summary>
    public static async Task<List<(Incident Incident, AlertRun? LastRun, DateTimeOffset PagedAt, int Sent)>> LockDueEscalationsAsync(
        UnitOfWork unit, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var due = new List<(Incident, DateTimeOffset, int)>();
        await using (var command = new NpgsqlCommand($"""
            SELECT {IncidentColumns}, COALESCE(i.paged_at, i.opened_at), i.escalations_sent FROM incidents i
            WHERE i.resolved_at IS NULL AND i.acknowledged_at IS NULL AND i.next_escalation_at <= @now
            ORDER BY i.next_escalation_at
            LIMIT @limit
            FOR UPDATE SKIP LOCKED
            """, unit.Connection, unit.Transaction))
        {
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("limit", limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add((ReadIncident(reader, 0), reader.GetFieldValue<DateTimeOffset>(12), reader.GetInt32(13)));
            }
        }

        var result = new List<(Incident, AlertRun?, DateTimeOffset, int)>();
        foreach (var (incident, pagedAt, sent) in due)
        {
            var run = incident.LastRunId is { } id ? await ReadRunAsync(unit.Connection, unit.Transaction, id, cancellationToken) : null;
            result.Add((incident, run, pagedAt, sent));
        }

        return result;
    }

    /// <summary>Channels a trigger or an escalation of the incident reached or is still trying to reach (not
    /// withdrawn): they heard of it, so they get its recovery notice.</summary>
    public static async Task<List<string>> HeardChannelsAsync(UnitOfWork unit, Guid incidentId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT DISTINCT channel FROM notifications
            WHERE incident_id = @incident AND kind IN ('trigger', 'escalation') AND status <> 'superseded' AND channel <> '@route'
            ORDER BY channel
            """, unit.Connection, unit.Transaction);
        command.Parameters.AddWithValue("incident", incidentId);
        var channels = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            channels.Add(reader.GetString(0));
        }

        return channels;
    }

    /// <summary>Incidents of the given severities open at some point in [from, to), and tests marked flaky.</summary>
    public async Task<List<DigestEntry>> DigestAsync(IReadOnlyList<string> severities, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT t.id, t.name, t.severity, i.opened_at, i.resolved_at, COALESCE(i.failure_count, 0), COALESCE(s.flaky, false)
            FROM incidents i JOIN tests t ON t.id = i.test_id LEFT JOIN alert_state s ON s.test_id = t.id
            WHERE i.kind = 'test' AND i.severity = ANY(@severities) AND i.opened_at < @to
              AND (i.resolved_at IS NULL OR i.resolved_at >= @from)
            UNION ALL
            SELECT t.id, t.name, t.severity, NULL, NULL, 0, true
            FROM alert_state s JOIN tests t ON t.id = s.test_id
            WHERE s.flaky
            ORDER BY 3, 2, 4
            """);
        command.Parameters.AddWithValue("severities", severities.ToArray());
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var entries = new List<DigestEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new DigestEntry(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetInt32(5), reader.GetBoolean(6)));
        }

        return entries;
    }

    public async Task<AlertState?> FindStateAsync(Guid testId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT test_id, consecutive_failures, consecutive_passes, failing_since, open_incident_id, flaky, flips, last_run_id,
                   joined_incident_id
            FROM alert_state WHERE test_id = @test
            """);
        command.Parameters.AddWithValue("test", testId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadState(reader) : null;
    }

    /// <summary>The test's incidents, newest first.</summary>
    public async Task<List<Incident>> IncidentsAsync(Guid testId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {IncidentColumns} FROM incidents i WHERE i.test_id = @test ORDER BY i.opened_at DESC LIMIT @limit");
        command.Parameters.AddWithValue("test", testId);
        command.Parameters.AddWithValue("limit", limit);
        var incidents = new List<Incident>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            incidents.Add(ReadIncident(reader, 0));
        }

        return incidents;
    }

    public async Task<(int? ReminderMinutes, int? ResolveAfterPasses)> PolicyOverridesAsync(Guid testId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT reminder_minutes, resolve_after_passes FROM tests WHERE id = @id");
        command.Parameters.AddWithValue("id", testId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.IsDBNull(0) ? null : reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetInt32(1))
            : (null, null);
    }

    /// <summary>Changes the test's alert policy; only the fields asked for. False when the test does not exist.</summary>
    public async Task<bool> UpdatePolicyAsync(Guid testId, int? failureThreshold, bool setReminder, int? reminderMinutes, bool setResolve, int? resolveAfterPasses, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE tests SET failure_threshold = COALESCE(@threshold, failure_threshold),
                             reminder_minutes = CASE WHEN @set_reminder THEN @reminder ELSE reminder_minutes END,
                             resolve_after_passes = CASE WHEN @set_resolve THEN @resolve ELSE resolve_after_passes END,
                             updated_at = now()
            WHERE id = @id
            """);
        command.Parameters.AddWithValue("id", testId);
        command.Parameters.Add(new NpgsqlParameter("threshold", NpgsqlDbType.Integer) { Value = (object?)failureThreshold ?? DBNull.Value });
        command.Parameters.AddWithValue("set_reminder", setReminder);
        command.Parameters.Add(new NpgsqlParameter("reminder", NpgsqlDbType.Integer) { Value = (object?)reminderMinutes ?? DBNull.Value });
        command.Parameters.AddWithValue("set_resolve", setResolve);
        command.Parameters.Add(new NpgsqlParameter("resolve", NpgsqlDbType.Integer) { Value = (object?)resolveAfterPasses ?? DBNull.Value });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static AlertState ReadState(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetInt32(1), r.GetInt32(2),
        r.IsDBNull(3) ? null : r.GetFieldValue<DateTimeOffset>(3),
        r.IsDBNull(4) ? null : r.GetGuid(4),
        r.GetBoolean(5), r.GetInt32(6),
        r.IsDBNull(7) ? null : r.GetGuid(7),
        r.IsDBNull(8) ? null : r.GetGuid(8));

    private static Incident ReadIncident(NpgsqlDataReader r, int o) => new(
        r.GetGuid(o), r.GetString(o + 1), r.IsDBNull(o + 2) ? null : r.GetGuid(o + 2), r.GetString(o + 3), r.GetString(o + 4),
        r.GetFieldValue<DateTimeOffset>(o + 5), r.GetFieldValue<DateTimeOffset>(o + 6),
        r.IsDBNull(o + 7) ? null : r.GetGuid(o + 7), r.GetInt32(o + 8),
        r.IsDBNull(o + 9) ? null : r.GetFieldValue<DateTimeOffset>(o + 9), r.GetInt32(o + 10),
        r.IsDBNull(o + 11) ? null : r.GetFieldValue<DateTimeOffset>(o + 11));
}
