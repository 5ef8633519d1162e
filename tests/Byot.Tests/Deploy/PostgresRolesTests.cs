using Byot.Shared.Storage;
using Byot.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;

namespace Byot.Tests.Deploy;

/// <summary>deploy/azure/postgres-roles.sh, the script the Azure template runs as the server's administrator, run for
/// real against this machine's PostgreSQL: the Functions app's role applies every migration and owns the tables but
/// has no server rights; the runners' role reads and writes rows of every table and changes no schema.</summary>
public sealed class PostgresRolesTests : IAsyncLifetime
{
    private readonly string suffix = Guid.NewGuid().ToString("N")[..10];
    private readonly NpgsqlConnectionStringBuilder server = new(ByotEnvironment.PostgresServer);

    private string Database => "byot_roles_" + suffix;

    private string AppRole => "byot_app_" + suffix;

    private string RunnerRole => "byot_runner_" + suffix;

    public async Task InitializeAsync()
    {
        await using var admin = NpgsqlDataSource.Create(ByotEnvironment.PostgresServer + ";Database=postgres");
        await using var create = admin.CreateCommand($"CREATE DATABASE \"{Database}\"");
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(ByotEnvironment.PostgresServer + ";Database=postgres");
        foreach (var sql in new[] { $"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)", $"DROP ROLE IF EXISTS \"{RunnerRole}\"", $"DROP ROLE IF EXISTS \"{AppRole}\"" })
        {
            await using var command = admin.CreateCommand(sql);
            await command.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task The_app_role_migrates_and_the_runner_role_writes_rows_and_neither_has_more()
    {
        // Twice: every deployment runs it again (and sets the passwords anew).
        await RunScriptAsync("app-password-1", "runner-password-1");
        await RunScriptAsync("app-password-2", "runner-password-2");

        await using (var app = NpgsqlDataSource.Create(ConnectionAs(AppRole, "app-password-2")))
        {
            await new SchemaMigrator(app, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
            await AssertRefusedAsync(app, $"CREATE ROLE \"x_{suffix}\"");
            await AssertRefusedAsync(app, $"CREATE DATABASE \"x_{suffix}\"");
        }

        await using var runner = NpgsqlDataSource.Create(ConnectionAs(RunnerRole, "runner-password-2"));
        var tables = await ListAsync(runner, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
        Assert.Contains("runs", tables);
        Assert.Contains("tests", tables);
        foreach (var table in tables)
        {
            foreach (var privilege in new[] { "SELECT", "INSERT", "UPDATE", "DELETE" })
            {
                var granted = await ListAsync(runner, $"SELECT has_table_privilege('public.{table}', '{privilege}')::text");
                Assert.True(granted.Single() == "true", $"{RunnerRole} lacks {privilege} on {table}");
            }
        }

        await AssertRefusedAsync(runner, "CREATE TABLE runner_made (id int)");
        await AssertRefusedAsync(runner, "DROP TABLE runs");
        await AssertRefusedAsync(runner, "ALTER TABLE runs ADD COLUMN runner_made int");
        await AssertRefusedAsync(runner, "TRUNCATE runs");
        Assert.Equal(["0"], await ListAsync(runner, "SELECT count(*)::text FROM runs"));

    }

    private async Task RunScriptAsync(string appPassword, string runnerPassword)
    {
        var result = await Command.RunAsync("bash", [Repository.Path("deploy", "azure", "postgres-roles.sh")], environment: new Dictionary<string, string?>
        {
            ["PGHOST"] = server.Host,
            ["PGPORT"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGUSER"] = server.Username,
            ["PGPASSWORD"] = server.Password,
            ["PGDATABASE"] = Database,
            ["PGSSLMODE"] = "prefer",
            ["BYOT_APP_ROLE"] = AppRole,
            ["BYOT_APP_PASSWORD"] = appPassword,
            ["BYOT_RUNNER_ROLE"] = RunnerRole,
            ["BYOT_RUNNER_PASSWORD"] = runnerPassword,
            ["BYOT_ROLES_SQL"] = Repository.ReadText("deploy", "azure", "postgres-roles.sql"),
        });
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private string ConnectionAs(string role, string password) =>
        new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = Database, Username = role, Password = password, Pooling = false }.ConnectionString;

    private static async Task<List<string>> ListAsync(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static async Task AssertRefusedAsync(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.True(refused.SqlState is PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {refused.SqlState} {refused.MessageText}");
    }
}
