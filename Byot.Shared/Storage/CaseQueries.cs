using Byot.Shared.Cases;
using Npgsql;

namespace Byot.Shared.Storage;

/// <summary>Read-side queries over run cases: one run's, a test's cases over recent runs, one case's history.</summary>
public sealed class CaseQueries(NpgsqlDataSource dataSource)
{
    /// <summary>A run's cases in report order, attempt by attempt, strictly after the (attempt, position) cursor.</summary>
    public async Task<List<(StoredCase Case, int Position)>> RunCasesAsync(Guid runId, string? status, (int Attempt, int Position)? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT case_id, case_key, suite, name, status, duration_ms, message, output, attempt, flaky, retries, position
            FROM run_cases
            WHERE run_id = @run AND (@status::text IS NULL OR status = @status) AND (attempt, position) > (@attempt, @position)
            ORDER BY attempt, position
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.Add(new NpgsqlParameter<string?>("status", status));
        command.Parameters.AddWithValue("attempt", after?.Attempt ?? 0);
        command.Parameters.AddWithValue("position", after?.Position ?? -1);
        command.Parameters.AddWithValue("limit", limit);
        var cases = new List<(StoredCase, int)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            cases.Add((new StoredCase(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5), Nullable(reader, 6), Nullable(reader, 7), reader.GetInt32(8), reader.GetBoolean(9), reader.GetInt32(10)),
                reader.GetInt32(11)));
        }

        return cases;
    }

    /// <summary>The parse warnings recorded on a run.</summary>
    public async Task<IReadOnlyList<string>> WarningsAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(case_warnings, '{}') FROM runs WHERE id = @run");
        command.Parameters.AddWithValue("run", runId);
        return await command.ExecuteScalarAsync(cancellationToken) as string[] ?? [];
    }

    /// <summary>Every case of the test's last <paramref name="window"/> finished runs with cases on the artifact
    /// content (sha256) the test has now: a new version starts afresh.</summary>
    public async Task<List<CaseWindow>> WindowAsync(Guid testId, int window, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH recent AS (
                SELECT r.id, r.queued_at, r.tries FROM runs r
                JOIN test_artifacts a ON a.test_id = r.test_id AND a.version = r.artifact_version
                WHERE r.test_id = @test AND r.finished_at IS NOT NULL AND r.cases_passed IS NOT NULL
                  AND a.sha256 = (SELECT ca.sha256 FROM tests t JOIN test_artifacts ca ON ca.test_id = t.id AND ca.version = t.artifact_version WHERE t.id = @test)
                ORDER BY r.queued_at DESC, r.id DESC
                LIMIT @window
            ), retried AS (
                SELECT DISTINCT c.run_id, c.case_id FROM recent r
                JOIN run_cases c ON c.run_id = r.id AND c.attempt < r.tries AND c.status IN ('failed', 'errored')
            )
            SELECT c.case_id, max(c.case_key), max(c.suite), max(c.name),
                   array_agg(c.status ORDER BY r.queued_at DESC, r.id DESC),
                   array_agg(c.status = 'passed' AND (c.flaky OR t.case_id IS NOT NULL) ORDER BY r.queued_at DESC, r.id DESC),
                   max(r.queued_at)
            FROM recent r
            JOIN run_cases c ON c.run_id = r.id AND c.attempt = r.tries
            LEFT JOIN retried t ON t.run_id = c.run_id AND t.case_id = c.case_id
            GROUP BY c.case_id
            ORDER BY max(c.case_key)
            """);
        command.Parameters.AddWithValue("test", testId);
        command.Parameters.AddWithValue("window", window);
        var cases = new List<CaseWindow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            cases.Add(new CaseWindow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<string[]>(4), reader.GetFieldValue<bool[]>(5), reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return cases;
    }

    /// <summary>When each of the test's cases was first seen and last failed, over its whole history.</summary>
    public async Task<Dictionary<string, (DateTimeOffset FirstSeenAt, DateTimeOffset? LastFailureAt)>> SeenAsync(Guid testId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT c.case_id, min(r.queued_at), max(r.queued_at) FILTER (WHERE c.status IN ('failed', 'errored'))
            FROM run_cases c JOIN runs r ON r.id = c.run_id
            WHERE c.test_id = @test
            GROUP BY c.case_id
            """);
        command.Parameters.AddWithValue("test", testId);
        var seen = new Dictionary<string, (DateTimeOffset, DateTimeOffset?)>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            seen[reader.GetString(0)] = (reader.GetFieldValue<DateTimeOffset>(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2));
        }

        return seen;
    }

    /// <summary>The case's key, suite and name; null when the test never reported it.</summary>
    public async Task<(string Key, string Suite, string Name)?> CaseAsync(Guid testId, string caseId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT case_key, suite, name FROM run_cases WHERE test_id = @test AND case_id = @case LIMIT 1");
        command.Parameters.AddWithValue("test", testId);
        command.Parameters.AddWithValue("case", caseId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0), reader.GetString(1), reader.GetString(2)) : null;
    }

    /// <summary>One case across the test's runs, newest first, strictly before the (queued_at, run id) cursor.</summary>
    public async Task<List<CaseHistoryEntry>> HistoryAsync(Guid testId, string caseId, (DateTimeOffset QueuedAt, Guid Id)? before, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT r.id, r.queued_at, r.artifact_version, r.status, c.status, c.attempt, c.duration_ms, c.message,
                   (SELECT count(*) FROM run_cases e WHERE e.run_id = r.id AND e.case_id = c.case_id AND e.attempt < c.attempt AND e.status IN ('failed', 'errored'))
            FROM run_cases c JOIN runs r ON r.id = c.run_id AND c.attempt = r.tries
            WHERE c.test_id = @test AND c.case_id = @case AND (@first OR (r.queued_at, r.id) < (@at, @id))
            ORDER BY r.queued_at DESC, r.id DESC
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("test", testId);
        command.Parameters.AddWithValue("case", caseId);
        command.Parameters.AddWithValue("first", before is null);
        command.Parameters.AddWithValue("at", (before?.QueuedAt ?? DateTimeOffset.UnixEpoch).ToUniversalTime());
        command.Parameters.AddWithValue("id", before?.Id ?? Guid.Empty);
        command.Parameters.AddWithValue("limit", limit);
        var history = new List<CaseHistoryEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            history.Add(new CaseHistoryEntry(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4),
                reader.GetInt32(5), (int)reader.GetInt64(8), reader.IsDBNull(6) ? null : reader.GetInt64(6), Nullable(reader, 7)));
        }

        return history;
    }

    private static string? Nullable(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
