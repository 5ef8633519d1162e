using Byot.Shared.Domain;
using Byot.Shared.Scheduling;
using Npgsql;
using NpgsqlTypes;

namespace Byot.Shared.Storage;

/// <summary>Test definitions and their artifact versions.</summary>
public sealed class TestStore(NpgsqlDataSource dataSource)
{
    private const string SelectColumns = """
        t.id, t.name, t.runtime, t.severity, t.command, t.timeout_seconds, t.failure_threshold,
        t.memory_mb, t.cpus, t.network_enabled, t.enabled, t.artifact_version, t.created_at, t.updated_at,
        t.image, t.isolation, t.locations, t.failing_locations
        """;

    public async Task InsertAsync(TestDefinition test, TestArtifact artifact, Schedule? schedule, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await InsertAsync(connection, transaction, test, artifact, schedule, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The test, its first artifact and its schedule inside the caller's transaction, which commits.</summary>
    internal static async Task InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, TestDefinition test, TestArtifact artifact, Schedule? schedule, CancellationToken cancellationToken)
    {
        await using (var command = new NpgsqlCommand("""
            INSERT INTO tests (id, name, runtime, severity, command, timeout_seconds, failure_threshold,
                               memory_mb, cpus, network_enabled, enabled, artifact_version, image, isolation, locations, failing_locations)
            VALUES (@id, @name, @runtime, @severity, @command, @timeout, @threshold,
                    @memory, @cpus, @network, @enabled, @version, @image, @isolation, @locations, @failingLocations)
            """, connection, transaction))
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
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = new NpgsqlCommand("""
            INSERT INTO test_artifacts (test_id, version, blob_name, sha256, size_bytes, file_name)
            VALUES (@test, @version, @blob, @sha, @size, @file)
            """, connection, transaction))
        {
            command.Parameters.AddWithValue("test", artifact.TestId);
            command.Parameters.AddWithValue("version", artifact.Version);
            command.Parameters.AddWithValue("blob", artifact.BlobName);
            command.Parameters.AddWithValue("sha", artifact.Sha256);
            command.Parameters.AddWithValue("size", artifact.SizeBytes);
            command.Parameters.AddWithValue("file", artifact.FileName);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (schedule is not null)
        {
            await ScheduleStore.UpsertAsync(connection, transaction, test.Id, schedule, schedule.NextAfter(DateTimeOffset.UtcNow), cancellationToken);
        }
    }

    public async Task<bool> SetEnabledAsync(Guid id, bool enabled, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE tests SET enabled = @enabled, updated_at = now() WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("enabled", enabled);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<TestDefinition?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {SelectColumns} FROM tests t WHERE t.id = @id AND t.deleted_at IS NULL");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? RowReaders.ReadTest(reader, 0) : null;
    }

    public async Task<string?> FindArtifactSha256Async(Guid id, int version, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT sha256 FROM test_artifacts WHERE test_id = @id AND version = @version");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("version", version);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<string?> FindArtifactFileNameAsync(Guid id, int version, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT file_name FROM test_artifacts WHERE test_id = @id AND version = @version");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("version", version);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM tests WHERE deleted_at IS NULL");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    internal static string Columns => SelectColumns;
}
