using System.Text;
using Byot.Shared;
using Byot.Shared.Artifacts;
using Byot.Shared.Domain;
using Byot.Shared.Runs;
using Byot.Shared.Storage;
using Byot.Shared.Uploads;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Byot.Tests.Reliability;

/// <summary>BYOT's shared services over a given set of settings (for example a <see cref="PrivatePostgres"/> or a
/// <see cref="PrivateAzurite"/> in place of the shared server): schema, storage, uploads, manual runs, and reads of
/// the run rows that ride out a server that is restarting.</summary>
public sealed class PrivateStack : IAsyncDisposable
{
    private readonly ServiceProvider services;

    private PrivateStack(ServiceProvider services, string connectionString)
    {
        this.services = services;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<PrivateStack> StartAsync(IDictionary<string, string?> settings, bool createDatabase)
    {
        var connectionString = settings["Byot:Database:ConnectionString"]!;
        if (createDatabase)
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            var name = builder.Database!;
            builder.Database = "postgres";
            await using var admin = NpgsqlDataSource.Create(builder.ConnectionString);
            await using var create = admin.CreateCommand($"CREATE DATABASE \"{name}\"");
            await create.ExecuteNonQueryAsync();
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddByotShared(configuration).BuildServiceProvider();
        await services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        await services.GetRequiredService<StorageProvisioner>().EnsureAsync(CancellationToken.None);
        return new PrivateStack(services, connectionString);
    }

    public T Get<T>()
        where T : notnull => services.GetRequiredService<T>();

    public async Task<Guid> UploadShellAsync(string script)
    {
        var file = Encoding.UTF8.GetBytes("#!/bin/sh\n" + script.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        return await Get<UploadService>().CreateTestAsync(Parts(file), CancellationToken.None);
    }

    public async Task<Guid> RunNowAsync(Guid testId) => (await Get<RunService>().RunNowAsync(testId, CancellationToken.None)).Id;

    /// <summary>The run row, read on a fresh connection, retried while the server is unreachable.</summary>
    public async Task<TestRun> FindAsync(Guid runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                return (await Get<RunStore>().FindAsync(runId, CancellationToken.None))!;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    public async Task<TestRun> WaitForAsync(Guid runId, Func<TestRun, bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        var run = await FindAsync(runId);
        while (!condition(run))
        {
            Assert.True(DateTime.UtcNow < deadline, $"run {runId} is {run.Status}");
            await Task.Delay(100);
            run = await FindAsync(runId);
        }

        return run;
    }

    public Task<TestRun> WaitForFinalAsync(Guid runId, TimeSpan within) => WaitForAsync(runId, r => r.FinishedAt is not null, within);

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var source = NpgsqlDataSource.Create(ConnectionString);
        await using var command = source.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<string> ReadLogAsync(Guid runId)
    {
        await using var stream = await Get<LogStore>().OpenReadAsync(RunStore.LogBlobName(runId), 0, CancellationToken.None);
        if (stream is null)
        {
            return "";
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
    }

    private static async IAsyncEnumerable<UploadPart> Parts(byte[] file)
    {
        await Task.Yield();
        yield return new UploadPart("runtime", null, new MemoryStream("go"u8.ToArray()));
        yield return new UploadPart("severity", null, new MemoryStream("P2"u8.ToArray()));
        yield return new UploadPart("binary", "test.sh", new MemoryStream(file));
    }
}
