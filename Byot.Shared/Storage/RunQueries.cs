using Byot.Shared.Domain;
using Byot.Shared.Domain.Alerting;
using Npgsql;

namespace Byot.Shared.Storage;

/// <summary>Read-side queries over runs: history pages and statistics.</summary>
public sealed class RunQueries(NpgsqlDataSource dataSource)
{
    // The run columns are RunStore's, read by the same RowReaders.ReadRun.
    private const string Columns = RunStore.RunColumns;

    /// <summary>Runs of a test, newest first, strictly before the (queued_at, id) cursor when one is given.</summary>
    public async Task<List<TestRun>> HistoryAsync(Guid testId, (DateTimeOffset QueuedAt, Guid Id)? before, int limit, CancellationToken cancellationToken, string? location = null)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM runs r
            WHERE r.test_id = @test AND (@first OR (r.queued_at, r.id) < (@at, @id))
              AND (@location::text IS NULL OR r.location = @location)
            ORDER BY r.queued_at DESC, r.id DESC
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("test", testId);
        command.Parameters.AddWithValue("first", before is null);
        command.Parameters.AddWithValue("at", (before?.QueuedAt ?? DateTimeOffset.UnixEpoch).ToUniversalTime());
        command.Parameters.AddWithValue("id", before?.Id ?? Guid.Empty);
        command.Parameters.AddWithValue("limit", limit);
        command.Parameters.Add(LocationParameter(location));
        var runs = new List<TestRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(RowReaders.ReadRun(reader, 0));
        }

        return runs;
    }

    public async Task<(Dictionary<string, double?> Uptime, long? P50, long? P95, Dictionary<string, long> Counts, long Flips)> StatsAsync(Guid testId, DateTimeOffset now, CancellationToken cancellationToken, string? location = null)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH counted AS (
                SELECT status, finished_at, duration_ms, in_maintenance FROM runs
                WHERE test_id = @test AND finished_at >= @now - interval '30 days'
                  AND (@location::text IS NULL OR location = @location)
            ),
            windows AS (
                SELECT w.name, w.since,
                       count(*) FILTER (WHERE {StatusSql.UptimePassed}) AS passed,
                       count(*) FILTER (WHERE {StatusSql.UptimeJudged}) AS judged
                FROM (VALUES ('24h', @now - interval '24 hours'), ('7d', @now - interval '7 days'), ('30d', @now - interval '30 days')) AS w(name, since)
                LEFT JOIN counted c ON c.finished_at >= w.since
                GROUP BY w.name, w.since
            ),
            ordered AS (
                SELECT status = {StatusSql.Passed} AS ok, lag(status = {StatusSql.Passed}) OVER (ORDER BY finished_at) AS previous_ok
                FROM counted WHERE status IN {StatusSql.Counted} AND finished_at >= @now - interval '7 days'
            )
            SELECT 'uptime' AS kind, name, CASE WHEN judged = 0 THEN NULL ELSE passed::double precision / judged END AS value FROM windows
            UNION ALL
            SELECT 'count', status, count(*)::double precision FROM counted WHERE finished_at >= @now - interval '7 days' GROUP BY status
            UNION ALL
            SELECT 'duration', 'p50', percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms)
            FROM counted WHERE finished_at >= @now - interval '7 days' AND status IN {StatusSql.OwnDuration} AND duration_ms IS NOT NULL
            UNION ALL
            SELECT 'duration', 'p95', percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)
            FROM counted WHERE finished_at >= @now - interval '7 days' AND status IN {StatusSql.OwnDuration} AND duration_ms IS NOT NULL
            UNION ALL
            SELECT 'flips', 'flips', count(*) FILTER (WHERE previous_ok IS NOT NULL AND ok <> previous_ok)::double precision FROM ordered
            """);
        command.Parameters.AddWithValue("test", testId);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        command.Parameters.Add(LocationParameter(location));

        var uptime = new Dictionary<string, double?>(StringComparer.Ordinal);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long? p50 = null, p95 = null;
        long flips = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var kind = reader.GetString(0);
            var name = reader.GetString(1);
            double? value = reader.IsDBNull(2) ? null : reader.GetDouble(2);
            switch (kind)
            {
                case "uptime": uptime[name] = value; break;
                case "count": counts[name] = (long)(value ?? 0); break;
                case "duration" when name == "p50": p50 = value is null ? null : (long)Math.Round(value.Value); break;
                case "duration": p95 = value is null ? null : (long)Math.Round(value.Value); break;
                default: flips = (long)(value ?? 0); break;
            }
        }

        return (uptime, p50, p95, counts, flips);
    }

    /// <summary>The test's most recent counted runs, newest first, as alerts read them (<see cref="StatusSql.RecentCounted"/>).</summary>
    public async Task<List<CountedResult>> RecentCountedAsync(Guid testId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(StatusSql.RecentCounted("@test", "@limit"));
        command.Parameters.AddWithValue("test", testId);
        command.Parameters.AddWithValue("limit", limit);
        return await StatusSql.ReadRecentCountedAsync(command, cancellationToken);
    }

    private static NpgsqlParameter LocationParameter(string? location) =>
        new("location", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)location ?? DBNull.Value };
}
