using Npgsql;

namespace Byot.Shared.Storage;

/// <summary>Encrypted secret values per test; only names and times ever leave through the API.</summary>
public sealed class SecretStore(NpgsqlDataSource dataSource)
{
    public async Task UpsertAsync(Guid testId, string name, (byte[] Nonce, byte[] Ciphertext, byte[] Tag) sealedValue, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO test_secrets (test_id, name, nonce, ciphertext, tag) VALUES (@test, @name, @nonce, @cipher, @tag)
            ON CONFLICT (test_id, name) DO UPDATE
                SET nonce = excluded.nonce, ciphertext = excluded.ciphertext, tag = excluded.tag, updated_at = now()
            """);
        command.Parameters.AddWithValue("test", testId);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("nonce", sealedValue.Nonce);
        command.Parameters.AddWithValue("cipher", sealedValue.Ciphertext);
        command.Parameters.AddWithValue("tag", sealedValue.Tag);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(Guid testId, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM test_secrets WHERE test_id = @test AND name = @name");
        command.Parameters.AddWithValue("test", testId);
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<List<(string Name, DateTimeOffset UpdatedAt)>> ListAsync(Guid testId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT name, updated_at FROM test_secrets WHERE test_id = @test ORDER BY name");
        command.Parameters.AddWithValue("test", testId);
        var names = new List<(string, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return names;
    }

    public async Task<List<(string Name, byte[] Nonce, byte[] Ciphertext, byte[] Tag)>> LoadAsync(Guid testId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT name, nonce, ciphertext, tag FROM test_secrets WHERE test_id = @test ORDER BY name");
        command.Parameters.AddWithValue("test", testId);
        var values = new List<(string, byte[], byte[], byte[])>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add((reader.GetString(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<byte[]>(2), reader.GetFieldValue<byte[]>(3)));
        }

        return values;
    }
}
