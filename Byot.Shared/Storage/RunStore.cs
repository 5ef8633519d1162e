using Byot.Shared.Domain;
using Npgsql;

namespace Byot.Shared.Storage;

/// <summary>Runs: observations of tests. Every write is conditional on the run's current state, so a duplicate
/// queue delivery or a late runner can never record a result twice.</summary>
public sealed class RunStore(NpgsqlDataSource dataSource)
{
    internal const string RunColumns = """
        r.id, r.test_id, r.trigger, r.artifact_version, r.attempt, r.status, r.runner_id, r.queued_at,
        r.started_at, r.finished_at, r.duration_ms, r.exit_code, r.log_blob, r.log_bytes, r.log_truncated, r.error, r.scheduled_for,
        r.isolation, r.cases_passed, r.cases_failed, r.cases_skipped, r.cases_errored, r.cases_truncated, r.tries, r.flaky, r.location,
        r.in_maintenance
        """;

    /// <summary>Inserts a queued manual run of the test's current artifact in its first location; null when the test
    /// does not exist.</summary>
    public async Task<TestRun?> CreateManualAsync(Guid runId, Guid testId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        return await InsertManualAsync(command, runId, testId, null, null, cancellationToken);
    }

    private static async Task<TestRun?> InsertManualAsync(NpgsqlCommand command, Guid runId, Guid testId, int? timeoutSeconds, string? location, CancellationToken cancellationToken)
    {
        command.CommandText = $"""
            WITH inserted AS (
                INSERT INTO runs (id, test_id, trigger, artifact_version, status, log_blob, timeout_seconds, location)
                SELECT @id, t.id, 'manual', t.artifact_version, 'queued', @log, @timeout, coalesce(@location, t.locations[1])
                FROM tests t WHERE t.id = @test AND t.deleted_at IS NULL
                RETURNING *
            )
            SELECT {RunColumns} FROM inserted r
            """;
        command.Parameters.AddWithValue("id", runId);
        command.Parameters.AddWithValue("test", testId);
        command.Parameters.AddWithValue("log", LogBlobName(runId));
        command.Parameters.Add(TimeoutParameter(timeoutSeconds));
        command.Parameters.Add(new NpgsqlParameter("location", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)location ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? RowReaders.ReadRun(reader, 0) : null;
    }

    private static NpgsqlParameter TimeoutParameter(int? timeoutSeconds) =>
        new("timeout", NpgsqlTypes.NpgsqlDbType.Integer) { Value = (object?)timeoutSeconds ?? DBNull.Value };

    /// <summary>Queues a manual run in <paramref name="location"/> unless an equal one (same timeout, current artifact,
    /// same location) is already waiting, in which case that one is returned; refuses when <paramref name="maxQueued"/>
    /// manual runs of the test already wait there. One transaction under a per-test-and-location advisory lock, so
    /// concurrent calls see each other's rows and make one run.</summary>
    public async Task<ManualRunResult> QueueManualAsync(Guid runId, Guid testId, string location, int? timeoutSeconds, int maxQueued, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('byot:run-now:' || @test::text || ':' || @location, 0))", connection, transaction))
        {
            command.Parameters.AddWithValue("test", testId);
            command.Parameters.AddWithValue("location", location);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        // Equal means the same timeout and the test's current artifact: after a new version, a new run is due.
        var queued = new List<(TestRun Run, bool Equal)>();
        await using (var command = new NpgsqlCommand($"""
            SELECT {RunColumns}, r.timeout_seconds IS NOT DISTINCT FROM @timeout AND r.artifact_version = t.artifact_version
            FROM runs r JOIN tests t ON t.id = r.test_id
            WHERE r.test_id = @test AND r.location = @location AND r.trigger = 'manual' AND r.status = 'queued'
            ORDER BY r.queued_at, r.id
            """, connection, transaction))
        {
            command.Parameters.AddWithValue("test", testId);
            command.Parameters.AddWithValue("location", location);
            command.Parameters.Add(TimeoutParameter(timeoutSeconds));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                queued.Add((RowReaders.ReadRun(reader, 0), reader.GetBoolean(RowReaders.RunColumnCount)));
            }
        }

        if (queued.FirstOrDefault(q => q.Equal).Run is { } same)
        {
            return new ManualRunResult(same, Created: false, QueuedCount: queued.Count);
        }

        if (queued.Count >= maxQueued)
        {
            return new ManualRunResult(null, Created: false, QueuedCount: queued.Count);
        }

        TestRun? created;
        await using (var command = new NpgsqlCommand(null, connection, transaction))
        {
            created = await InsertManualAsync(command, runId, testId, timeoutSeconds, location, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new ManualRunResult(created, Created: created is not null, QueuedCount: queued.Count);
    }

    public async Task MarkEnqueuedAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE runs SET enqueued_at = now() WHERE id = @id AND enqueued_at IS NULL");
        command.Parameters.AddWithValue("id", runId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MarkEnqueuedAsync(IReadOnlyList<Guid> runIds, CancellationToken cancellationToken)
    {
        if (runIds.Count == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand(
            "UPDATE runs SET enqueued_at = now() WHERE id = ANY(@ids) AND enqueued_at IS NULL");
        command.Parameters.AddWithValue("ids", runIds.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Queued runs that never reached the queue (a crash between commit and send), oldest first.</summary>
    public async Task<List<PendingRun>> FindNotEnqueuedAsync(TimeSpan grace, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, test_id, location, scheduled_for FROM runs
            WHERE status = 'queued' AND enqueued_at IS NULL AND queued_at < now() - @grace
            ORDER BY queued_at
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("grace", grace);
        command.Parameters.AddWithValue("limit", limit);
        var found = new List<PendingRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(new PendingRun(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return found;
    }

    /// <summary>Runs whose runner stopped renewing the lease: back to queued (to be enqueued again) while attempts
    /// remain, otherwise closed as infra_error; in the caller's unit of work, which decides what the closed runs mean.</summary>
    public static async Task<(List<Guid> Requeued, int Closed)> RecoverExpiredLeasesAsync(UnitOfWork unit, TimeSpan grace, int maxAttempts, CancellationToken cancellationToken)
    {
        var requeued = new List<Guid>();
        await using (var command = new NpgsqlCommand("""
            UPDATE runs SET status = 'queued', runner_id = NULL, lease_until = NULL, enqueued_at = NULL, started_at = NULL
            WHERE status = 'running' AND lease_until < now() - @grace AND attempt < @max
            RETURNING id
            """, unit.Connection, unit.Transaction))
        {
            command.Parameters.AddWithValue("grace", grace);
            command.Parameters.AddWithValue("max", maxAttempts);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                requeued.Add(reader.GetGuid(0));
            }
        }

        int closed;
        await using (var command = new NpgsqlCommand("""
            UPDATE runs SET status = 'infra_error', finished_at = now(), lease_until = NULL,
                            error = 'The runner executing this run stopped renewing its lease (attempt ' || attempt || '); giving up.'
            WHERE status = 'running' AND lease_until < now() - @grace AND attempt >= @max
            """, unit.Connection, unit.Transaction))
        {
            command.Parameters.AddWithValue("grace", grace);
            command.Parameters.AddWithValue("max", maxAttempts);
            closed = await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return (requeued, closed);
    }

    public async Task<TestRun?> FindAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {RunColumns} FROM runs r WHERE r.id = @id");
        command.Parameters.AddWithValue("id", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? RowReaders.ReadRun(reader, 0) : null;
    }

    /// <summary>Takes the lease on a queued run (or on a running one whose lease expired). Null means someone else
    /// holds it, it already finished, or its test is gone: the caller drops the message. With
    /// <paramref name="resume"/> (a retry of a claim whose reply was lost) a run this runner claimed but has not
    /// started yet is taken again as the same attempt.</summary>
    public async Task<ClaimedRun?> ClaimAsync(Guid runId, string runnerId, TimeSpan lease, CancellationToken cancellationToken, bool resume = false)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH claimed AS (
                UPDATE runs SET status = 'running', runner_id = @runner, lease_until = now() + @lease,
                                attempt = CASE WHEN status = 'running' AND runner_id = @runner AND @resume THEN attempt ELSE attempt + 1 END,
                                started_at = NULL
                WHERE id = @id AND (status = 'queued' OR (status = 'running' AND lease_until < now())
                                    OR (@resume AND status = 'running' AND runner_id = @runner AND started_at IS NULL))
                RETURNING *
            )
            SELECT {RunColumns}, {TestStore.Columns},
                   a.test_id, a.version, a.blob_name, a.sha256, a.size_bytes, a.file_name, r.timeout_seconds
            FROM claimed r
            JOIN tests t ON t.id = r.test_id
            JOIN test_artifacts a ON a.test_id = r.test_id AND a.version = r.artifact_version
            """);
        command.Parameters.AddWithValue("id", runId);
        command.Parameters.AddWithValue("runner", runnerId);
        command.Parameters.AddWithValue("lease", lease);
        command.Parameters.AddWithValue("resume", resume);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var run = RowReaders.ReadRun(reader, 0);
        var test = RowReaders.ReadTest(reader, RowReaders.RunColumnCount);
        var artifact = RowReaders.ReadArtifact(reader, RowReaders.RunColumnCount + RowReaders.TestColumnCount);

        // A run-now call's own timeout replaces the test's for this run only; the Runner reads it from the test.
        var timeoutAt = RowReaders.RunColumnCount + RowReaders.TestColumnCount + RowReaders.ArtifactColumnCount;
        if (!reader.IsDBNull(timeoutAt))
        {
            test = test with { TimeoutSeconds = reader.GetInt32(timeoutAt) };
        }

        return new ClaimedRun(run, test, artifact);
    }

    /// <summary>Whether another run of the same test in the same location is going on right now (its lease is live); a scheduled run
    /// about to start is then recorded as skipped instead of running in parallel with it.</summary>
    public async Task<bool> IsOverlappingAsync(Guid runId, Guid testId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT EXISTS (SELECT 1 FROM runs
                           WHERE test_id = @test AND id <> @id AND status = 'running' AND lease_until > now() AND started_at IS NOT NULL
                             AND location = (SELECT location FROM runs WHERE id = @id))
            """);
        command.Parameters.AddWithValue("id", runId);
        command.Parameters.AddWithValue("test", testId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<bool> MarkStartedAsync(Guid runId, string runnerId, string isolation, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE runs SET started_at = now(), isolation = @isolation
            WHERE id = @id AND runner_id = @runner AND status = 'running'
            """);
        command.Parameters.AddWithValue("id", runId);
        command.Parameters.AddWithValue("runner", runnerId);
        command.Parameters.AddWithValue("isolation", isolation);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>How much of the log is stored so far, while the run goes on; never moves backwards.</summary>
    public async Task UpdateLogBytesAsync(Guid runId, string runnerId, long bytes, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE runs SET log_bytes = @bytes
            WHERE id = @id AND runner_id = @runner AND status = 'running' AND log_bytes < @bytes
            """);
        command.Parameters.AddWithValue("id", runId);
        command.Parameters.AddWithValue("runner", runnerId);
        command.Parameters.AddWithValue("bytes", bytes);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>At a runner's start, the runs it held when it last stopped without handing them back (it crashed): back
    /// to queued at once, rather than showing "running" with no container until their lease runs out.</summary>
    public async Task<List<PendingRun>> HandBackAsync(string runnerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE runs SET status = 'queued', runner_id = NULL, lease_until = NULL, enqueued_at = NULL, started_at = NULL,
                            error = 'Runner ' || @runner || ' restarted while it held attempt ' || attempt || '; handed back.'
            WHERE runner_id = @runner AND status = 'running'
            RETURNING id, test_id, location
            """);
        command.Parameters.AddWithValue("runner", runnerId);
        var ids = new List<PendingRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(new PendingRun(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), null));
        }

        return ids;
    }

    /// <summary>Extends the lease while the run goes on; false means this runner lost the run.</summary>
    public async Task<bool> RenewLeaseAsync(Guid runId, string runnerId, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE runs SET lease_until = now() + @lease
            WHERE id = @id AND runner_id = @runner AND status = 'running'
            """);
        command.Parameters.AddWithValue("id", runId);
        command.Parameters.AddWithValue("runner", runnerId);
        command.Parameters.AddWithValue("lease", lease);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Records the final state once, in the caller's unit of work; false when this runner no longer holds the run.</summary>
    public static async Task<bool> CompleteAsync(UnitOfWork unit, Guid runId, string runnerId, RunOutcome outcome, CancellationToken cancellationToken)
    {
        var counts = outcome.Cases?.Counts;
        await using var command = new NpgsqlCommand("""
            UPDATE runs SET status = @status, exit_code = @exit, finished_at = now(), duration_ms = @duration,
                            log_bytes = @bytes, log_truncated = @truncated, error = @error, lease_until = NULL,
                            cases_passed = @passed, cases_failed = @failed, cases_skipped = @skipped, cases_errored = @errored,
                            cases_truncated = @casesTruncated, case_warnings = @warnings, tries = @tries, flaky = @flaky
            WHERE id = @id AND runner_id = @runner AND status = 'running'
            RETURNING test_id
            """, unit.Connection, unit.Transaction);
        command.Parameters.AddWithValue("id", runId);
        command.Parameters.AddWithValue("runner", runnerId);
        command.Parameters.AddWithValue("status", outcome.Status.ToName());
        command.Parameters.AddWithValue("exit", (object?)outcome.ExitCode ?? DBNull.Value);
        command.Parameters.AddWithValue("duration", outcome.DurationMs);
        command.Parameters.AddWithValue("bytes", outcome.LogBytes);
        command.Parameters.AddWithValue("truncated", outcome.LogTruncated);
        command.Parameters.AddWithValue("error", (object?)outcome.Error ?? DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter<int?>("passed", counts?.Passed));
        command.Parameters.Add(new NpgsqlParameter<int?>("failed", counts?.Failed));
        command.Parameters.Add(new NpgsqlParameter<int?>("skipped", counts?.Skipped));
        command.Parameters.Add(new NpgsqlParameter<int?>("errored", counts?.Errored));
        command.Parameters.AddWithValue("casesTruncated", outcome.Cases?.Truncated ?? false);
        command.Parameters.Add(new NpgsqlParameter("warnings", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text)
        {
            Value = outcome.Cases is { Warnings.Count: > 0 } c ? c.Warnings.Select(CaseStore.Text).ToArray() : DBNull.Value,
        });
        command.Parameters.AddWithValue("tries", outcome.Tries);
        command.Parameters.AddWithValue("flaky", RunFlakiness.IsFlaky(outcome));
        if (await command.ExecuteScalarAsync(cancellationToken) is not Guid testId)
        {
            return false;
        }

        if (outcome.Cases is { } cases)
        {
            // In the result's transaction: a run is never recorded with half its cases.
            await CaseStore.InsertAsync(unit.Connection, runId, testId, cases, cancellationToken);
        }

        return true;
    }

    /// <summary>Marks a recorded run as in_maintenance, in the unit of work that recorded it.</summary>
    public static async Task MarkInMaintenanceAsync(UnitOfWork unit, Guid runId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("UPDATE runs SET in_maintenance = true WHERE id = @id", unit.Connection, unit.Transaction);
        command.Parameters.AddWithValue("id", runId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Closes a run that never reached a runner (for example a message that could not be handled), in the
    /// caller's unit of work; false when it had ended already.</summary>
    public static async Task<bool> FailUnstartedAsync(UnitOfWork unit, Guid runId, RunStatus status, string error, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE runs SET status = @status, finished_at = now(), error = @error, lease_until = NULL
            WHERE id = @id AND status IN ('queued', 'running')
            """, unit.Connection, unit.Transaction);
        command.Parameters.AddWithValue("id", runId);
        command.Parameters.AddWithValue("status", status.ToName());
        command.Parameters.AddWithValue("error", error);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public static string LogBlobName(Guid runId) => $"{runId:D}.log";

    /// <summary>Hands a run that hit an infrastructure error back to the queue for another attempt, keeping the
    /// error so the history shows why; false when this runner no longer holds the run.</summary>
    public async Task<bool> RequeueAsync(Guid runId, string runnerId, string error, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE runs SET status = 'queued', runner_id = NULL, lease_until = NULL, started_at = NULL, error = @error
            WHERE id = @id AND runner_id = @runner AND status = 'running'
            """);
        command.Parameters.AddWithValue("id", runId);
        command.Parameters.AddWithValue("runner", runnerId);
        command.Parameters.AddWithValue("error", error);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Lists a file kept from the run's /artifacts; a later attempt's file of the same path replaces it.</summary>
    public async Task AddArtifactAsync(RunArtifact artifact, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO run_artifacts (run_id, path, blob_name, size_bytes) VALUES (@run, @path, @blob, @size)
            ON CONFLICT (run_id, path) DO UPDATE SET blob_name = excluded.blob_name, size_bytes = excluded.size_bytes, created_at = now()
            """);
        command.Parameters.AddWithValue("run", artifact.RunId);
        command.Parameters.AddWithValue("path", artifact.Path);
        command.Parameters.AddWithValue("blob", artifact.BlobName);
        command.Parameters.AddWithValue("size", artifact.SizeBytes);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<RunArtifact>> ListArtifactsAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT run_id, path, blob_name, size_bytes FROM run_artifacts WHERE run_id = @run ORDER BY path");
        command.Parameters.AddWithValue("run", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var artifacts = new List<RunArtifact>();
        while (await reader.ReadAsync(cancellationToken))
        {
            artifacts.Add(new RunArtifact(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
        }

        return artifacts;
    }

    /// <summary>The first raster image the test's latest judged run kept, when that run failed (failed, timed_out, oom):
    /// the screenshot the status page shows for a red browser flow.</summary>
    public async Task<RunArtifact?> FindFailureScreenshotAsync(Guid testId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT a.run_id, a.path, a.blob_name, a.size_bytes
            FROM (SELECT id, status FROM runs
                  WHERE test_id = @test AND status IN {StatusSql.Counted}
                  ORDER BY finished_at DESC LIMIT 1) last
            JOIN run_artifacts a ON a.run_id = last.id
            WHERE last.status <> {StatusSql.Passed} AND lower(a.path) ~ '\.(png|jpe?g|gif|webp)$'
            ORDER BY a.path
            LIMIT 1
            """);
        command.Parameters.AddWithValue("test", testId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new RunArtifact(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3))
            : null;
    }
}
