using System.Text.Json;
using Byot.Shared.Domain;
using Byot.Shared.Scheduling;
using Byot.Shared.Uploads.Direct;
using Npgsql;
using NpgsqlTypes;

namespace Byot.Shared.Storage;

/// <summary>Direct uploads, and the commit that turns one into a test or a version in a single transaction.</summary>
public sealed class DirectUploadStore(NpgsqlDataSource dataSource, TestStore tests)
{
    private const string Columns = "id, kind, test_id, fields, file_name, staging_blob, expires_at, created_at, committed_at, version, sha256, size_bytes";

    public async Task InsertAsync(DirectUpload upload, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO direct_uploads ({Columns})
            VALUES (@id, @kind, @test, @fields, @file, @staging, @expires, @created, NULL, NULL, NULL, NULL)
            """);
        command.Parameters.AddWithValue("id", upload.Id);
        command.Parameters.AddWithValue("kind", KindText(upload.Kind));
        command.Parameters.AddWithValue("test", upload.TestId);
        command.Parameters.Add(new NpgsqlParameter("fields", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(upload.Fields) });
        command.Parameters.AddWithValue("file", upload.FileName);
        command.Parameters.AddWithValue("staging", upload.StagingBlob);
        command.Parameters.AddWithValue("expires", upload.ExpiresAt);
        command.Parameters.AddWithValue("created", upload.CreatedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<DirectUpload?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM direct_uploads WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new DirectUpload(
            reader.GetGuid(0),
            reader.GetString(1) == "test" ? DirectUploadKind.Test : DirectUploadKind.Version,
            reader.GetGuid(2),
            JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(3)) ?? [],
            reader.GetString(4),
            reader.GetString(5),
            reader.GetFieldValue<DateTimeOffset>(6),
            reader.GetFieldValue<DateTimeOffset>(7),
            reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
            reader.IsDBNull(9) ? null : reader.GetInt32(9),
            reader.IsDBNull(10) ? null : reader.GetString(10),
            reader.IsDBNull(11) ? null : reader.GetInt64(11));
    }

    /// <summary>Creates the test and its first artifact and marks the upload committed, all or nothing.</summary>
    /// <summary>Creates the test and marks the upload committed, all or nothing; <paramref name="verify"/> runs after
    /// the test is written, in the same transaction (the dependency check), and refuses by throwing.</summary>
    public Task<DirectCommitResult> CommitTestAsync(
        Guid uploadId, DateTimeOffset now, TestDefinition test, TestArtifact artifact, Schedule? schedule, Func<UnitOfWork, Task> verify, CancellationToken cancellationToken) =>
        CommitAsync(uploadId, now, artifact.Sha256, artifact.SizeBytes, async unit =>
        {
            await tests.InsertAsync(unit, test, artifact, schedule, cancellationToken);
            await verify(unit);
            return 1;
        }, cancellationToken);

    /// <summary>Adds the version and marks the upload committed, all or nothing; TestGone when the test was deleted.</summary>
    public Task<DirectCommitResult> CommitVersionAsync(Guid uploadId, DateTimeOffset now, Guid testId, string blobName, string sha256, long sizeBytes, string fileName, CancellationToken cancellationToken) =>
        CommitAsync(uploadId, now, sha256, sizeBytes, unit =>
            tests.AddArtifactVersionAsync(unit, testId, blobName, sha256, sizeBytes, fileName, cancellationToken), cancellationToken);

    /// <summary>Uploads whose time ran out before <paramref name="before"/>, committed or not, oldest first.</summary>
    public async Task<List<(Guid Id, string StagingBlob)>> ExpiredAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, staging_blob FROM direct_uploads WHERE expires_at < @before ORDER BY expires_at LIMIT @limit
            """);
        command.Parameters.AddWithValue("before", before);
        command.Parameters.AddWithValue("limit", limit);
        var expired = new List<(Guid, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            expired.Add((reader.GetGuid(0), reader.GetString(1)));
        }

        return expired;
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM direct_uploads WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<DirectCommitResult> CommitAsync(
        Guid uploadId,
        DateTimeOffset now,
        string sha256,
        long sizeBytes,
        Func<UnitOfWork, Task<int?>> write,
        CancellationToken cancellationToken)
    {
        await using var unit = await UnitOfWork.BeginAsync(dataSource, cancellationToken);
        await using (var select = unit.Command(
            "SELECT committed_at, version, sha256, size_bytes, expires_at FROM direct_uploads WHERE id = @id FOR UPDATE"))
        {
            // The row lock serialises commits of one upload: the second sees the first one's result.
            select.Parameters.AddWithValue("id", uploadId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return new DirectCommitResult(DirectCommitOutcome.Missing);
            }

            if (!reader.IsDBNull(0))
            {
                return new DirectCommitResult(DirectCommitOutcome.AlreadyCommitted, reader.GetInt32(1), reader.GetString(2), reader.GetInt64(3));
            }

            if (reader.GetFieldValue<DateTimeOffset>(4) <= now)
            {
                return new DirectCommitResult(DirectCommitOutcome.Expired);
            }
        }

        if (await write(unit) is not { } version)
        {
            return new DirectCommitResult(DirectCommitOutcome.TestGone);
        }

        await using (var mark = unit.Command("""
            UPDATE direct_uploads SET committed_at = @now, version = @version, sha256 = @sha, size_bytes = @size WHERE id = @id
            """))
        {
            mark.Parameters.AddWithValue("id", uploadId);
            mark.Parameters.AddWithValue("now", now);
            mark.Parameters.AddWithValue("version", version);
            mark.Parameters.AddWithValue("sha", sha256);
            mark.Parameters.AddWithValue("size", sizeBytes);
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }

        await unit.CommitAsync(cancellationToken);
        return new DirectCommitResult(DirectCommitOutcome.Committed, version, sha256, sizeBytes);
    }

    private static string KindText(DirectUploadKind kind) => kind == DirectUploadKind.Test ? "test" : "version";
}
