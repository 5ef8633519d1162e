using Npgsql;
using NpgsqlTypes;

namespace Byot.Shared.Storage;

/// <summary>The SQL of run retention: the oldest finished runs past the cut-off, and their summary and deletion in one
/// statement (docs/scale.md#run-history-retention).</summary>
public sealed class RetentionStore(NpgsqlDataSource dataSource)
{
    /// <summary>Up to <paramref name="limit"/> finished runs queued before <paramref name="cutoff"/>, oldest first, with
    /// the blobs they own (log and artifacts).</summary>
    public async Task<List<ExpiredRun>> ExpiredAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT r.id, r.log_blob, coalesce(array_agg(a.blob_name) FILTER (WHERE a.blob_name IS NOT NULL), '{}')
            FROM (SELECT id, log_blob, queued_at FROM runs
                  WHERE queued_at < @cutoff AND status NOT IN ('queued', 'running')
                  ORDER BY queued_at LIMIT @limit) r
            LEFT JOIN run_artifacts a ON a.run_id = r.id
            GROUP BY r.id, r.log_blob, r.queued_at
            ORDER BY r.queued_at
            """);
        command.Parameters.AddWithValue("cutoff", cutoff.ToUniversalTime());
        command.Parameters.AddWithValue("limit", limit);
        var expired = new List<ExpiredRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            expired.Add(new ExpiredRun(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetFieldValue<string[]>(2)));
        }

        return expired;
    }

    /// <summary>Deletes the runs (cases and artifact rows cascade) and adds them to their days' summary in the same
    /// statement: a run is counted by the one transaction that deleted it, so two instances or a retried batch never
    /// count it twice. Returns how many were deleted.</summary>
    public async Task<int> SummariseAndDeleteAsync(IReadOnlyList<Guid> runIds, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH gone AS (
                DELETE FROM runs
                WHERE id = ANY(@ids) AND queued_at < @cutoff AND status NOT IN ('queued', 'running')
                RETURNING test_id, location, (queued_at AT TIME ZONE 'UTC')::date AS day,
                          {StatusSql.UptimeJudged} AS judged, {StatusSql.UptimePassed} AS judged_passed,
                          status IN {StatusSql.Failures} AS failure,
                          CASE WHEN status IN {StatusSql.OwnDuration} THEN duration_ms END AS duration_ms
            ),
            summed AS (
                INSERT INTO run_days AS d (test_id, location, day, runs, judged, judged_passed, failures, duration_ms_sum, duration_runs)
                SELECT test_id, location, day, count(*), count(*) FILTER (WHERE judged), count(*) FILTER (WHERE judged_passed),
                       count(*) FILTER (WHERE failure), coalesce(sum(duration_ms), 0), count(duration_ms)
                FROM gone GROUP BY test_id, location, day
                ON CONFLICT (test_id, location, day) DO UPDATE SET
                    runs = d.runs + excluded.runs,
                    judged = d.judged + excluded.judged,
                    judged_passed = d.judged_passed + excluded.judged_passed,
                    failures = d.failures + excluded.failures,
                    duration_ms_sum = d.duration_ms_sum + excluded.duration_ms_sum,
                    duration_runs = d.duration_runs + excluded.duration_runs
                RETURNING 1
            )
            SELECT count(*) FROM gone
            """);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = runIds.ToArray() });
        command.Parameters.AddWithValue("cutoff", cutoff.ToUniversalTime());
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
