using Npgsql;

namespace Byot.Shared.Storage;

/// <summary>One connection and one transaction, owned by Storage. A feature that must make several writes atomic
/// begins one (<see cref="UnitOfWorkFactory.BeginAsync"/>), passes it to the store methods it calls and commits it;
/// disposing without committing rolls everything back. Features never see Npgsql: only stores read the members.</summary>
public sealed class UnitOfWork : IAsyncDisposable
{
    private UnitOfWork(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    internal NpgsqlConnection Connection { get; }

    internal NpgsqlTransaction Transaction { get; }

    internal static async Task<UnitOfWork> BeginAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            return new UnitOfWork(connection, await connection.BeginTransactionAsync(cancellationToken));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A command on this unit's connection, inside its transaction.</summary>
    internal NpgsqlCommand Command(string sql) => new(sql, Connection, Transaction);

    public Task CommitAsync(CancellationToken cancellationToken) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
