using Byot.Shared.Domain.Alerting;
using Npgsql;

namespace Byot.Shared.Storage;

/// <summary>Reads, in the unit of work that recorded a run, its cases as the completion decision sees them: counts of
/// failing and quarantined-failing cases of its last attempt, and the first few failing ones with their results in
/// the test's earlier counted runs on the same artifact content.</summary>
public static class CaseFactsStore
{
    public static async Task<RunCaseFacts?> ReadAsync(UnitOfWork unit, Guid runId, int window, int named, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var counts = new NpgsqlCommand($"""
            SELECT r.cases_passed + r.cases_failed + r.cases_skipped + r.cases_errored, r.queued_at,
                   (SELECT count(*) FROM run_cases c WHERE c.run_id = r.id AND c.attempt = r.tries AND c.status IN {Failing}),
                   (SELECT count(*) FROM run_cases c
                    JOIN case_quarantines q ON q.test_id = c.test_id AND q.case_id = c.case_id AND {Active}
                    WHERE c.run_id = r.id AND c.attempt = r.tries AND c.status IN {Failing})
            FROM runs r WHERE r.id = @run AND r.cases_passed IS NOT NULL
            """, unit.Connection, unit.Transaction);
        counts.Parameters.AddWithValue("run", runId);
        counts.Parameters.AddWithValue("now", now);
        int total, failing, quarantined;
        DateTimeOffset queuedAt;
        await using (var reader = await counts.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            (total, queuedAt, failing, quarantined) = (reader.GetInt32(0), reader.GetFieldValue<DateTimeOffset>(1), (int)reader.GetInt64(2), (int)reader.GetInt64(3));
        }

        if (failing == 0)
        {
            return new RunCaseFacts(total, 0, 0, queuedAt, []);
        }

        await using var command = new NpgsqlCommand($"""
            WITH cur AS (
                SELECT r.id, r.test_id, r.queued_at, r.tries, a.sha256 FROM runs r
                JOIN test_artifacts a ON a.test_id = r.test_id AND a.version = r.artifact_version
                WHERE r.id = @run
            ), recent AS (
                SELECT r.id, r.queued_at, r.tries FROM cur
                JOIN runs r ON r.test_id = cur.test_id AND r.id <> cur.id AND (r.queued_at, r.id) < (cur.queued_at, cur.id)
                JOIN test_artifacts a ON a.test_id = r.test_id AND a.version = r.artifact_version AND a.sha256 = cur.sha256
                WHERE r.cases_passed IS NOT NULL AND r.status IN {StatusSql.Counted}
                ORDER BY r.queued_at DESC, r.id DESC
                LIMIT @window
            ), named AS (
                SELECT c.case_id, c.case_key, c.position, q.case_id IS NOT NULL AS quarantined FROM cur
                JOIN run_cases c ON c.run_id = cur.id AND c.attempt = cur.tries
                LEFT JOIN case_quarantines q ON q.test_id = c.test_id AND q.case_id = c.case_id AND {Active}
                WHERE c.status IN {Failing}
                ORDER BY quarantined, c.position
                LIMIT @named
            )
            SELECT n.case_id, n.case_key, n.quarantined,
                   coalesce(array_agg(e.status IN {Failing} ORDER BY r.queued_at DESC, r.id DESC) FILTER (WHERE e.status <> 'skipped'), ARRAY[]::boolean[]),
                   coalesce(array_agg(e.status = 'passed' AND (e.flaky OR EXISTS (
                       SELECT 1 FROM run_cases x WHERE x.run_id = r.id AND x.case_id = n.case_id AND x.attempt < r.tries AND x.status IN {Failing}))
                       ORDER BY r.queued_at DESC, r.id DESC) FILTER (WHERE e.status <> 'skipped'), ARRAY[]::boolean[]),
                   coalesce(array_agg(r.queued_at ORDER BY r.queued_at DESC, r.id DESC) FILTER (WHERE e.status <> 'skipped'), ARRAY[]::timestamptz[])
            FROM named n
            LEFT JOIN recent r ON true
            LEFT JOIN run_cases e ON e.run_id = r.id AND e.attempt = r.tries AND e.case_id = n.case_id
            GROUP BY n.case_id, n.case_key, n.quarantined, n.position
            ORDER BY n.quarantined, n.position
            """, unit.Connection, unit.Transaction);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("window", window);
        command.Parameters.AddWithValue("named", named);
        var cases = new List<FailingCase>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var failed = reader.GetFieldValue<bool[]>(3);
                var retried = reader.GetFieldValue<bool[]>(4);
                cases.Add(new FailingCase(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2),
                    [.. failed.Select((f, i) => new FlakyResult(f, retried[i]))], reader.GetFieldValue<DateTimeOffset[]>(5)));
            }
        }

        return new RunCaseFacts(total, failing, quarantined, queuedAt, cases);
    }

    /// <summary>A quarantine is in force while it has no expiry or its expiry is after now (the injected clock's).</summary>
    internal const string Active = "(q.until IS NULL OR q.until > @now)";

    private const string Failing = "('failed', 'errored')";
}
