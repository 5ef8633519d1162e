using Byot.Shared.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Byot.Tests.Shared;

public sealed class SchemaMigratorTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    [Fact]
    public async Task Many_instances_migrating_at_once_apply_each_migration_exactly_once()
    {
        var migrators = Enumerable.Range(0, 6).Select(_ => new SchemaMigrator(environment.DataSource, NullLogger<SchemaMigrator>.Instance));

        await Task.WhenAll(migrators.Select(m => m.MigrateAsync(CancellationToken.None)));

        var embedded = SchemaMigrator.EmbeddedMigrations();
        Assert.NotEmpty(embedded);
        Assert.Equal(embedded.Count, await environment.ScalarAsync("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(embedded[^1].Version, await environment.ScalarAsync("SELECT max(version) FROM schema_migrations"));
    }

    [Fact]
    public void Migrations_are_numbered_without_gaps_from_one()
    {
        var versions = SchemaMigrator.EmbeddedMigrations().Select(m => m.Version).ToList();

        Assert.Equal(Enumerable.Range(1, versions.Count), versions);
    }
}
