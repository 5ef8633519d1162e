using Byot.Shared.Status;
using Npgsql;

namespace Byot.Shared.Storage;

/// <summary>The status board's one read: every live test with its recent run history.</summary>
public sealed class StatusQueries(NpgsqlDataSource dataSource)
{
    public async Task<List<FlowHistory>> FlowsAsync(DateTimeOffset now, int recentRuns, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT t.id, t.name, t.severity, t.enabled, t.failure_threshold,
                   coalesce(recent.statuses, ARRAY[]::text[]), last.finished_at, last.duration_ms,
                   up.day_passed, up.day_judged, up.week_passed, up.week_judged
            FROM tests t
            LEFT JOIN LATERAL (
                SELECT array_agg(r.status ORDER BY r.finished_at DESC) AS statuses FROM (
                    SELECT status, finished_at FROM runs
                    WHERE test_id = t.id AND status IN ('passed', 'failed', 'timed_out', 'oom', 'infra_error')
                    ORDER BY finished_at DESC LIMIT @recent) r
            ) recent ON true
            LEFT JOIN LATERAL (
                SELECT finished_at, duration_ms FROM runs
                WHERE test_id = t.id AND status IN ('passed', 'failed', 'timed_out', 'oom', 'infra_error')
                ORDER BY finished_at DESC LIMIT 1
            ) last ON true
            LEFT JOIN LATERAL (
                SELECT count(*) FILTER (WHERE status = 'passed' AND finished_at >= @now - interval '24 hours') AS day_passed,
                       count(*) FILTER (WHERE status IN ('passed', 'failed', 'timed_out', 'oom') AND finished_at >= @now - interval '24 hours') AS day_judged,
                       count(*) FILTER (WHERE status = 'passed') AS week_passed,
                       count(*) FILTER (WHERE status IN ('passed', 'failed', 'timed_out', 'oom')) AS week_judged
                FROM runs WHERE test_id = t.id AND finished_at >= @now - interval '7 days'
            ) up ON true
            WHERE t.deleted_at IS NULL
            ORDER BY t.severity, t.name, t.id
            """);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        command.Parameters.AddWithValue("recent", recentRuns);
        var flows = new List<FlowHistory>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            flows.Add(new FlowHistory(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), reader.GetInt32(4),
                reader.GetFieldValue<string[]>(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetInt64(7),
                reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11)));
        }

        return flows;
    }
}
