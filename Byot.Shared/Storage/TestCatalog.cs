using Byot.Shared.Domain;
using Byot.Shared.Tests;
using Npgsql;
using NpgsqlTypes;

namespace Byot.Shared.Storage;

/// <summary>Listing, changing, versioning and deleting test definitions.</summary>
public sealed class TestCatalog(NpgsqlDataSource dataSource)
{
    public async Task<List<(TestDefinition Test, ScheduleView? Schedule, LastRunView? LastRun)>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {TestStore.Columns}, s.expression, s.time_zone, s.next_run_at,
                   l.id, l.status, l.queued_at, l.finished_at, l.duration_ms
            FROM tests t
            LEFT JOIN schedules s ON s.test_id = t.id
            LEFT JOIN LATERAL (
                SELECT r.id, r.status, r.queued_at, r.finished_at, r.duration_ms FROM runs r
                WHERE r.test_id = t.id AND r.status IN ('passed', 'failed', 'timed_out', 'oom', 'infra_error')
                ORDER BY r.finished_at DESC NULLS LAST LIMIT 1
            ) l ON true
            WHERE t.deleted_at IS NULL
            ORDER BY t.name, t.id
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("limit", limit);
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
                reader.IsDBNull(o + 7) ? null : reader.GetInt64(o + 7));
            list.Add((test, schedule, last));
        }

        return list;
    }

    public async Task<bool> UpdateAsync(Guid id, TestChanges changes, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
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
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Records a new artifact version and makes it current; later runs use it, runs already queued keep
    /// the version they were queued with.</summary>
    public async Task<int?> AddArtifactVersionAsync(Guid testId, string blobName, string sha256, long sizeBytes, string fileName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var version = await AddArtifactVersionAsync(connection, transaction, testId, blobName, sha256, sizeBytes, fileName, cancellationToken);
        if (version is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return version;
    }

    /// <summary>The new version inside the caller's transaction; null (nothing written) when the test is gone.</summary>
    internal static async Task<int?> AddArtifactVersionAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid testId, string blobName, string sha256, long sizeBytes, string fileName, CancellationToken cancellationToken)
    {
        int version;
        await using (var next = new NpgsqlCommand("""
            UPDATE tests SET artifact_version = artifact_version + 1, updated_at = now()
            WHERE id = @id AND deleted_at IS NULL
            RETURNING artifact_version
            """, connection, transaction))
        {
            next.Parameters.AddWithValue("id", testId);
            if (await next.ExecuteScalarAsync(cancellationToken) is not int v)
            {
                return null;
            }

            version = v;
        }

        await using (var insert = new NpgsqlCommand("""
            INSERT INTO test_artifacts (test_id, version, blob_name, sha256, size_bytes, file_name)
            VALUES (@test, @version, @blob, @sha, @size, @file)
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("test", testId);
            insert.Parameters.AddWithValue("version", version);
            insert.Parameters.AddWithValue("blob", blobName);
            insert.Parameters.AddWithValue("sha", sha256);
            insert.Parameters.AddWithValue("size", sizeBytes);
            insert.Parameters.AddWithValue("file", fileName);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        return version;
    }

    /// <summary>Deletes a test: its queued runs are cancelled, its schedule and secrets removed, its history kept.
    /// Returns the artifact blobs to remove, or null when the test does not exist.</summary>
    public async Task<List<string>?> DeleteAsync(Guid testId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var delete = new NpgsqlCommand(
            "UPDATE tests SET deleted_at = now(), enabled = false, updated_at = now() WHERE id = @id AND deleted_at IS NULL", connection, transaction))
        {
            delete.Parameters.AddWithValue("id", testId);
            if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return null;
            }
        }

        await using (var cleanup = new NpgsqlCommand("""
            UPDATE runs SET status = 'cancelled', finished_at = now(), error = 'The test was deleted before the run started.'
            WHERE test_id = @id AND status = 'queued';
            DELETE FROM schedules WHERE test_id = @id;
            DELETE FROM test_secrets WHERE test_id = @id;
            """, connection, transaction))
        {
            cleanup.Parameters.AddWithValue("id", testId);
            await cleanup.ExecuteNonQueryAsync(cancellationToken);
        }

        var blobs = new List<string>();
        await using (var artifacts = new NpgsqlCommand("SELECT blob_name FROM test_artifacts WHERE test_id = @id", connection, transaction))
        {
            artifacts.Parameters.AddWithValue("id", testId);
            await using var reader = await artifacts.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                blobs.Add(reader.GetString(0));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return blobs;
    }
}
