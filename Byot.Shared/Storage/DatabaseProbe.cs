using Npgsql;

namespace Byot.Shared.Storage;

/// <summary>Whether Postgres answers at all, for the health check.</summary>
public sealed class DatabaseProbe(NpgsqlDataSource dataSource)
{
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }
}
