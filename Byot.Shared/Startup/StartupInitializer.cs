using Byot.Shared.Artifacts;
using Byot.Shared.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Startup;

/// <summary>Brings the schema and the storage containers and queues up to date before the host serves anything.</summary>
internal sealed class StartupInitializer(
    SchemaMigrator migrator,
    StorageProvisioner provisioner,
    IOptions<DatabaseOptions> database,
    IOptions<StorageOptions> storage) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.Value.MigrateOnStart)
        {
            await migrator.MigrateAsync(cancellationToken);
        }

        if (storage.Value.ProvisionOnStart)
        {
            await provisioner.EnsureAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
