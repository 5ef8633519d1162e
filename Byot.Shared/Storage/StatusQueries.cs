using Byot.Shared.Domain.Alerting;
using Byot.Shared.Status;
using Npgsql;

namespace Byot.Shared.Storage;

/// <summary>The status board's one read: every live test with its recent run history.</summary>
public sealed class StatusQueries(NpgsqlDataSource dataSource)
{
    public async Task<List<FlowHistory>> FlowsAsync(DateTimeOffset now, int recentRuns, int flakyWindow, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT t.id, t.name, t.severity, t.enabled, t.failure_threshold,
                   coalesce(recent.statuses, ARRAY[]::text[]), last.finished_at, last.duration_ms,
                   up.day_passed, up.day_judged, up.week_passed, up.week_judged,
                   coalesce(flaky.failed, ARRAY[]::boolean[]), coalesce(flaky.triggers, ARRAY[]::text[]),
                   t.locations, coalesce(failing.locations, ARRAY[]::text[]),
                   coalesce(recent.quarantined, ARRAY[]::boolean[]), last.cases_passed, last.cases_failed, last.cases_errored, last.cases_skipped,
                   coalesce(flaky.retried, ARRAY[]::boolean[])
            FROM tests t
            LEFT JOIN LATERAL (
                SELECT array_agg(r.status ORDER BY r.finished_at DESC) AS statuses,
                       array_agg(r.quarantined_only ORDER BY r.finished_at DESC) AS quarantined FROM (
                    SELECT status, finished_at, quarantined_only FROM runs
                    WHERE test_id = t.id AND status IN {StatusSql.Ran}
                    ORDER BY finished_at DESC LIMIT @recent) r
            ) recent ON true
            LEFT JOIN LATERAL (
                SELECT finished_at, duration_ms, cases_passed, cases_failed, cases_errored, cases_skipped FROM runs
                WHERE test_id = t.id AND status IN {StatusSql.Ran}
                ORDER BY finished_at DESC LIMIT 1
            ) last ON true
            LEFT JOIN LATERAL (
                SELECT count(*) FILTER (WHERE {StatusSql.UptimePassed} AND finished_at >= @now - interval '24 hours') AS day_passed,
                       count(*) FILTER (WHERE {StatusSql.UptimeJudged} AND finished_at >= @now - interval '24 hours') AS day_judged,
                       count(*) FILTER (WHERE {StatusSql.UptimePassed}) AS week_passed,
                       count(*) FILTER (WHERE {StatusSql.UptimeJudged}) AS week_judged
                FROM runs WHERE test_id = t.id AND finished_at >= @now - interval '7 days'
            ) up ON true
            LEFT JOIN LATERAL (
                SELECT array_agg(c.failed ORDER BY {StatusSql.RecentOrder}) AS failed, array_agg(c.trigger ORDER BY {StatusSql.RecentOrder}) AS triggers,
                       array_agg(c.flaky ORDER BY {StatusSql.RecentOrder}) AS retried
                FROM ({StatusSql.RecentCounted("t.id", "@flaky_window")}) c
            ) flaky ON true
            LEFT JOIN LATERAL (
                SELECT array_agg(l.location ORDER BY l.location) AS locations FROM (
                    SELECT DISTINCT ON (location) location, status FROM runs
                    WHERE test_id = t.id AND status IN {StatusSql.Counted} AND location = ANY(t.locations)
                    ORDER BY location, finished_at DESC) l
                WHERE l.status <> {StatusSql.Passed}
            ) failing ON true
            WHERE t.deleted_at IS NULL
            ORDER BY t.severity, t.name, t.id
            """);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        command.Parameters.AddWithValue("recent", recentRuns);
        command.Parameters.AddWithValue("flaky_window", flakyWindow);
        var flows = new List<FlowHistory>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            flows.Add(new FlowHistory(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), reader.GetInt32(4),
                reader.GetFieldValue<string[]>(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetInt64(7),
                reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11),
                Recent(reader.GetFieldValue<bool[]>(12), reader.GetFieldValue<string[]>(13), reader.GetFieldValue<bool[]>(21)),
                reader.GetFieldValue<string[]>(14),
                reader.GetFieldValue<string[]>(15))
            {
                RecentQuarantinedOnly = reader.GetFieldValue<bool[]>(16),
                LastCases = reader.IsDBNull(17) ? null : new FlowCases(reader.GetInt32(17), reader.GetInt32(18), reader.GetInt32(19), reader.GetInt32(20)),
            });
        }

        return flows;
    }

    private static List<CountedResult> Recent(bool[] failed, string[] triggers, bool[] retried) =>
        [.. failed.Select((f, i) => new CountedResult(f, triggers[i], i < retried.Length && retried[i]))];

    /// <summary>The incidents of live tests open at some moment since <paramref name="since"/>, by test, oldest first:
    /// what the page's 30-day history marks. Operator incidents are the infrastructure's, not a flow's.</summary>
    public async Task<Dictionary<Guid, List<StatusIncident>>> IncidentsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT i.test_id, i.id, i.opened_at, i.resolved_at FROM incidents i
            JOIN tests t ON t.id = i.test_id AND t.deleted_at IS NULL
            WHERE i.kind = 'test' AND (i.resolved_at IS NULL OR i.resolved_at >= @since)
            ORDER BY i.opened_at, i.id
            """);
        command.Parameters.AddWithValue("since", since.ToUniversalTime());
        var incidents = new Dictionary<Guid, List<StatusIncident>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var test = reader.GetGuid(0);
            if (!incidents.TryGetValue(test, out var list))
            {
                incidents[test] = list = [];
            }

            list.Add(new StatusIncident(reader.GetGuid(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return incidents;
    }

    /// <summary>Whether the test is live, so on the page.</summary>
    public async Task<bool> IsFlowAsync(Guid testId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM tests WHERE id = @id AND deleted_at IS NULL)");
        command.Parameters.AddWithValue("id", testId);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }
}
