using Npgsql;

namespace Byot.Shared.Storage;

/// <summary>Begins units of work on the one data source; registered as a singleton.</summary>
public sealed class UnitOfWorkFactory(NpgsqlDataSource dataSource)
{
    public Task<UnitOfWork> BeginAsync(CancellationToken cancellationToken) => UnitOfWork.BeginAsync(dataSource, cancellationToken);
}
