using Byot.Shared.Domain;
using Byot.Shared.Scheduling;
using Byot.Shared.Catalog;
using Npgsql;
using NpgsqlTypes;

namespace Byot.Shared.Storage;

/// <summary>Test definitions and their artifact versions: the one store of the <c>tests</c> and
/// <c>test_artifacts</c> tables. Methods that take a <see cref="UnitOfWork"/> write inside the caller's transaction.</summary>
public sealed class TestStore(NpgsqlDataSource dataSource, ScheduleStore schedules, TimeProvider time)
{
    private const string SelectColumns = """
        t.id, t.name, t.runtime, t.severity, t.command, t.timeout_seconds, t.failure_threshold,
        t.memory_mb, t.cpus, t.network_enabled, t.enabled, t.artifact_version, t.created_at, t.updated_at,
        t.image, t.isolation, t.locations, t.failing_locations, t.retries, t.retry_delay_seconds, t.retry_backoff
        """;

    internal static string Columns => SelectColumns;

    public async Task InsertAsync(TestDefinition test, TestArtifact artifact, Schedule? schedule, CancellationToken cancellationToken)
    {
        await using var unit = await UnitOfWork.BeginAsync(dataSource, cancellationToken);
        await InsertAsync(unit, test, artifact, schedule, cancellationToken);
        await unit.CommitAsync(cancellationToken);
    }

    /// <summary>The test, its first artifact and its schedule inside the caller's unit of work, which commits.</summary>
    public async Task InsertAsync(UnitOfWork unit, TestDefinition test, TestArtifact artifact, Schedule? schedule, CancellationToken cancellationToken)
    {
        await using (var command = unit.Command("""
            INSERT INTO tests (id, name, runtime, severity, command, timeout_seconds, failure_threshold,
                               memory_mb, cpus, network_enabled, enabled, artifact_version, image, isolation, locations, failing_locations,
                               retries, retry_delay_seconds, retry_backoff)
            VALUES (@id, @name, @runtime, @severity, @command, @timeout, @threshold,
                    @memory, @cpus, @network, @enabled, @version, @image, @isolation, @locations, @failingLocations,
                    @retries, @retryDelay, @retryBackoff)
            """))
        {
            command.Parameters.AddWithValue("id", test.Id);
            command.Parameters.AddWithValue("name", test.Name);
            command.Parameters.AddWithValue("runtime", test.Runtime);
            command.Parameters.AddWithValue("severity", test.Severity.ToString());
            command.Parameters.Add(new NpgsqlParameter("command", NpgsqlDbType.Array | NpgsqlDbType.Text)
            {
                Value = test.Command is null ? DBNull.Value : test.Command.ToArray(),
            });
            command.Parameters.AddWithValue("timeout", test.TimeoutSeconds);
            command.Parameters.AddWithValue("threshold", test.FailureThreshold);
            command.Parameters.AddWithValue("memory", test.MemoryMb);
            command.Parameters.AddWithValue("cpus", test.Cpus);
            command.Parameters.AddWithValue("network", test.NetworkEnabled);
            command.Parameters.AddWithValue("enabled", test.Enabled);
            command.Parameters.AddWithValue("version", test.ArtifactVersion);
            command.Parameters.AddWithValue("image", (object?)test.Image ?? DBNull.Value);
            command.Parameters.AddWithValue("isolation", (object?)test.Isolation ?? DBNull.Value);
            command.Parameters.Add(new NpgsqlParameter("locations", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = test.RunsFrom.ToArray() });
            command.Parameters.AddWithValue("failingLocations", test.FailingLocations);
            command.Parameters.AddWithValue("retries", test.Retry.Retries);
            command.Parameters.AddWithValue("retryDelay", test.Retry.DelaySeconds);
            command.Parameters.AddWithValue("retryBackoff", test.Retry.Backoff);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await TagStore.ReplaceAsync(unit, test.Id, test.Tags, cancellationToken);
        await DependencyStore.ReplaceAsync(unit, test.Id, test.DependsOn, cancellationToken);
        await InsertArtifactAsync(unit, artifact.TestId, artifact.Version, artifact.BlobName, artifact.Sha256, artifact.SizeBytes, artifact.FileName, cancellationToken);
        if (schedule is not null)
        {
            await schedules.UpsertAsync(unit, test.Id, schedule, schedule.NextAfter(time.GetUtcNow()), cancellationToken);
        }
    }

    public async Task<TestDefinition?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {SelectColumns} FROM tests t WHERE t.id = @id AND t.deleted_at IS NULL");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? RowReaders.ReadTest(reader, 0) : null;
    }

    public Task<string?> FindArtifactSha256Async(Guid id, int version, CancellationToken cancellationToken) =>
        FindArtifactColumnAsync("sha256", id, version, cancellationToken);

    public Task<string?> FindArtifactFileNameAsync(Guid id, int version, CancellationToken cancellationToken) =>
        FindArtifactColumnAsync("file_name", id, version, cancellationToken);

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM tests WHERE deleted_at IS NULL");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Tests by name; with <paramref name="only"/>, just those ids (a tag filter's matches).</summary>
    public async Task<List<(TestDefinition Test, ScheduleView? Schedule, LastRunView? LastRun)>> ListAsync(int limit, CancellationToken cancellationToken, IReadOnlyCollection<Guid>? only = null)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {SelectColumns}, s.expression, s.time_zone, s.next_run_at,
                   l.id, l.status, l.queued_at, l.finished_at, l.duration_ms, l.cases_passed, l.cases_failed, l.cases_skipped, l.cases_errored
            FROM tests t
            LEFT JOIN schedules s ON s.test_id = t.id
            LEFT JOIN LATERAL (
                SELECT r.id, r.status, r.queued_at, r.finished_at, r.duration_ms, r.cases_passed, r.cases_failed, r.cases_skipped, r.cases_errored FROM runs r
                WHERE r.test_id = t.id AND r.status IN {StatusSql.Ran}
                ORDER BY r.finished_at DESC NULLS LAST LIMIT 1
            ) l ON true
            WHERE t.deleted_at IS NULL AND (@only IS NULL OR t.id = ANY(@only))
            ORDER BY t.name, t.id
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("limit", limit);
        command.Parameters.Add(new NpgsqlParameter("only", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = (object?)only?.ToArray() ?? DBNull.Value });
        var list = new List<(TestDefinition, ScheduleView?, LastRunView?)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        const int o = RowReaders.TestColumnCount;
        while (await reader.ReadAsync(cancellationToken))
        {
            var test = RowReaders.ReadTest(reader, 0);
            var schedule = reader.IsDBNull(o) ? null : new ScheduleView(reader.GetString(o), reader.GetString(o + 1), reader.GetFieldValue<DateTimeOffset>(o + 2));
            var last = reader.IsDBNull(o + 3) ? null : new LastRunView(
                reader.GetGuid(o + 3), reader.GetString(o + 4), reader.GetFieldValue<DateTimeOffset>(o + 5),
                reader.IsDBNull(o + 6) ? null : reader.GetFieldValue<DateTimeOffset>(o + 6),
                reader.IsDBNull(o + 7) ? null : reader.GetInt64(o + 7),
                reader.IsDBNull(o + 8) ? null : new Cases.CaseCounts(reader.GetInt32(o + 8), reader.GetInt32(o + 9), reader.GetInt32(o + 10), reader.GetInt32(o + 11)));
            list.Add((test, schedule, last));
        }

        return list;
    }

    /// <summary>Changes definition fields (null ones stay) inside the caller's unit of work; false when the test is gone.</summary>
    public async Task<bool> UpdateAsync(UnitOfWork unit, Guid id, TestChanges changes, CancellationToken cancellationToken)
    {
        await using var command = unit.Command("""
            UPDATE tests SET
                name = coalesce(@name, name),
                severity = coalesce(@severity, severity),
                command = CASE WHEN @clear THEN NULL ELSE coalesce(@command, command) END,
                timeout_seconds = coalesce(@timeout, timeout_seconds),
                failure_threshold = coalesce(@threshold, failure_threshold),
                memory_mb = coalesce(@memory, memory_mb),
                cpus = coalesce(@cpus, cpus),
                network_enabled = coalesce(@network, network_enabled),
                isolation = CASE WHEN @isolation IS NULL THEN isolation WHEN @isolation = 'default' THEN NULL ELSE @isolation END,
                locations = coalesce(@locations, locations),
                failing_locations = coalesce(@failingLocations, failing_locations),
                retries = coalesce(@retries, retries),
                retry_delay_seconds = coalesce(@retryDelay, retry_delay_seconds),
                retry_backoff = coalesce(@retryBackoff, retry_backoff),
                updated_at = now()
            WHERE id = @id AND deleted_at IS NULL
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.Add(new NpgsqlParameter("name", NpgsqlDbType.Text) { Value = (object?)changes.Name ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("severity", NpgsqlDbType.Text) { Value = (object?)changes.Severity?.ToString() ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("command", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = (object?)changes.Command?.ToArray() ?? DBNull.Value });
        command.Parameters.AddWithValue("clear", changes.ClearCommand);
        command.Parameters.Add(new NpgsqlParameter("timeout", NpgsqlDbType.Integer) { Value = (object?)changes.TimeoutSeconds ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("threshold", NpgsqlDbType.Integer) { Value = (object?)changes.FailureThreshold ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("memory", NpgsqlDbType.Integer) { Value = (object?)changes.MemoryMb ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("cpus", NpgsqlDbType.Double) { Value = (object?)changes.Cpus ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("network", NpgsqlDbType.Boolean) { Value = (object?)changes.NetworkEnabled ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("isolation", NpgsqlDbType.Text) { Value = (object?)changes.Isolation ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("locations", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = (object?)changes.Locations?.ToArray() ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("failingLocations", NpgsqlDbType.Integer) { Value = (object?)changes.FailingLocations ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("retries", NpgsqlDbType.Integer) { Value = (object?)changes.Retries ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("retryDelay", NpgsqlDbType.Integer) { Value = (object?)changes.RetryDelaySeconds ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("retryBackoff", NpgsqlDbType.Text) { Value = (object?)changes.RetryBackoff ?? DBNull.Value });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> SetEnabledAsync(UnitOfWork unit, Guid id, bool enabled, CancellationToken cancellationToken)
    {
        await using var command = unit.Command("UPDATE tests SET enabled = @enabled, updated_at = now() WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("enabled", enabled);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Records a new artifact version and makes it current; later runs use it, runs already queued keep
    /// the version they were queued with.</summary>
    public async Task<int?> AddArtifactVersionAsync(Guid testId, string blobName, string sha256, long sizeBytes, string fileName, CancellationToken cancellationToken)
    {
        await using var unit = await UnitOfWork.BeginAsync(dataSource, cancellationToken);
        var version = await AddArtifactVersionAsync(unit, testId, blobName, sha256, sizeBytes, fileName, cancellationToken);
        if (version is not null)
        {
            await unit.CommitAsync(cancellationToken);
        }

        return version;
    }

    /// <summary>The new version inside the caller's unit of work; null (nothing written) when the test is gone.</summary>
    public async Task<int?> AddArtifactVersionAsync(UnitOfWork unit, Guid testId, string blobName, string sha256, long sizeBytes, string fileName, CancellationToken cancellationToken)
    {
        await using var next = unit.Command("""
            UPDATE tests SET artifact_version = artifact_version + 1, updated_at = now()
            WHERE id = @id AND deleted_at IS NULL
            RETURNING artifact_version
            """);
        next.Parameters.AddWithValue("id", testId);
        if (await next.ExecuteScalarAsync(cancellationToken) is not int version)
        {
            return null;
        }

        await InsertArtifactAsync(unit, testId, version, blobName, sha256, sizeBytes, fileName, cancellationToken);
        return version;
    }

    /// <summary>Deletes a test: its queued runs are cancelled, its schedule and secrets removed, its history kept.
    /// Returns the artifact blobs to remove, or null when the test does not exist.</summary>
    public async Task<List<string>?> DeleteAsync(Guid testId, CancellationToken cancellationToken)
    {
        await using var unit = await UnitOfWork.BeginAsync(dataSource, cancellationToken);
        await using (var delete = unit.Command("UPDATE tests SET deleted_at = now(), enabled = false, updated_at = now() WHERE id = @id AND deleted_at IS NULL"))
        {
            delete.Parameters.AddWithValue("id", testId);
            if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return null;
            }
        }

        await using (var cleanup = unit.Command("""
            UPDATE runs SET status = 'cancelled', finished_at = now(), error = 'The test was deleted before the run started.'
            WHERE test_id = @id AND status = 'queued';
            DELETE FROM schedules WHERE test_id = @id;
            DELETE FROM test_secrets WHERE test_id = @id;
            """))
        {
            cleanup.Parameters.AddWithValue("id", testId);
            await cleanup.ExecuteNonQueryAsync(cancellationToken);
        }

        var blobs = new List<string>();
        await using (var artifacts = unit.Command("SELECT blob_name FROM test_artifacts WHERE test_id = @id"))
        {
            artifacts.Parameters.AddWithValue("id", testId);
            await using var reader = await artifacts.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                blobs.Add(reader.GetString(0));
            }
        }

        await unit.CommitAsync(cancellationToken);
        return blobs;
    }

    private static async Task InsertArtifactAsync(
        UnitOfWork unit, Guid testId, int version, string blobName, string sha256, long sizeBytes, string fileName, CancellationToken cancellationToken)
    {
        await using var insert = unit.Command("""
            INSERT INTO test_artifacts (test_id, version, blob_name, sha256, size_bytes, file_name)
            VALUES (@test, @version, @blob, @sha, @size, @file)
            """);
        insert.Parameters.AddWithValue("test", testId);
        insert.Parameters.AddWithValue("version", version);
        insert.Parameters.AddWithValue("blob", blobName);
        insert.Parameters.AddWithValue("sha", sha256);
        insert.Parameters.AddWithValue("size", sizeBytes);
        insert.Parameters.AddWithValue("file", fileName);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<string?> FindArtifactColumnAsync(string column, Guid id, int version, CancellationToken cancellationToken)
    {
        // column is one of this class's own constants, never input.
        await using var command = dataSource.CreateCommand($"SELECT {column} FROM test_artifacts WHERE test_id = @id AND version = @version");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("version", version);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}
