using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Byot.Shared;
using Byot.Shared.Artifacts;
using Byot.Shared.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Xunit;

namespace Byot.Testing;

/// <summary>A private slice of the real services for one test class: its own Postgres database and its own blob
/// containers and queues in Azurite, so classes run in parallel without seeing each other's data.</summary>
public sealed class ByotEnvironment : IAsyncLifetime
{
    public const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres";
    public const string DefaultStorage = "UseDevelopmentStorage=true";

    private readonly string suffix = Guid.NewGuid().ToString("N")[..12];

    public ByotEnvironment()
        : this(StorageBackend.Blob)
    {
    }

    /// <param name="backend">Where artifacts and logs live: Azurite's Blob service, or the S3 server
    /// (<see cref="S3Server"/>) with this environment's own buckets. The queue is Azurite's either way.</param>
    private ByotEnvironment(StorageBackend backend) => Backend = backend;

    /// <summary>An environment on <paramref name="backend"/> (xunit fixtures need one public constructor, so this is a
    /// factory).</summary>
    public static ByotEnvironment On(StorageBackend backend) => new(backend);

    public StorageBackend Backend { get; }

    public static string PostgresServer => Environment.GetEnvironmentVariable("BYOT_TEST_POSTGRES") ?? DefaultPostgres;

    public static string StorageConnection => Environment.GetEnvironmentVariable("BYOT_TEST_STORAGE") ?? DefaultStorage;

    public string DatabaseName => "byot_t_" + suffix;

    public string ConnectionString => $"{PostgresServer};Database={DatabaseName}";

    public string ArtifactsContainer => "artifacts-" + suffix;

    public string LogsContainer => "logs-" + suffix;

    public string RunsQueue => "runs-" + suffix;

    public string PoisonQueue => "poison-" + suffix;

    public BlobServiceClient Blobs { get; } = new(StorageConnection);

    public QueueServiceClient Queues { get; } = new(StorageConnection, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>Settings every BYOT host in this environment uses; callers add their own on top.</summary>
    public Dictionary<string, string?> Settings(IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Byot:Database:ConnectionString"] = ConnectionString,
            ["Byot:Database:MigrateOnStart"] = "false",
            ["Byot:Storage:ConnectionString"] = StorageConnection,
            ["Byot:Storage:ArtifactsContainer"] = ArtifactsContainer,
            ["Byot:Storage:LogsContainer"] = LogsContainer,
            ["Byot:Storage:RunsQueue"] = RunsQueue,
            ["Byot:Storage:PoisonQueue"] = PoisonQueue,
            ["Byot:Storage:ProvisionOnStart"] = "false",
        };
        if (Backend == StorageBackend.S3)
        {
            foreach (var (key, value) in S3Server.Settings())
            {
                settings[key] = value;
            }
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public IConfiguration Configuration(IDictionary<string, string?>? extra = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(Settings(extra)).Build();

    public async Task InitializeAsync()
    {
        await using (var admin = NpgsqlDataSource.Create(PostgresServer + ";Database=postgres"))
        await using (var create = admin.CreateCommand($"CREATE DATABASE \"{DatabaseName}\""))
        {
            await create.ExecuteNonQueryAsync();
        }

        DataSource = NpgsqlDataSource.Create(ConnectionString);
        var services = new ServiceCollection().AddLogging().AddByotShared(Configuration()).BuildServiceProvider();
        await using (services)
        {
            await services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
            await services.GetRequiredService<StorageProvisioner>().EnsureAsync(CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using (var admin = NpgsqlDataSource.Create(PostgresServer + ";Database=postgres"))
        await using (var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        if (Backend == StorageBackend.S3)
        {
            await S3Server.DeleteBucketsAsync(ArtifactsContainer, LogsContainer);
        }
        else
        {
            await Blobs.GetBlobContainerClient(ArtifactsContainer).DeleteIfExistsAsync();
            await Blobs.GetBlobContainerClient(LogsContainer).DeleteIfExistsAsync();
        }

        await Queues.GetQueueClient(RunsQueue).DeleteIfExistsAsync();
        await Queues.GetQueueClient(PoisonQueue).DeleteIfExistsAsync();
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<List<string>> ArtifactBlobNamesAsync()
    {
        if (Backend == StorageBackend.S3)
        {
            return await S3Server.KeysAsync(ArtifactsContainer);
        }

        var names = new List<string>();
        await foreach (var blob in Blobs.GetBlobContainerClient(ArtifactsContainer).GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    public async Task<string> ReadLogAsync(string blobName)
    {
        if (Backend == StorageBackend.S3)
        {
            return await S3Server.ReadLogAsync(LogsContainer, blobName);
        }

        var content = await Blobs.GetBlobContainerClient(LogsContainer).GetBlobClient(blobName).DownloadContentAsync();
        return content.Value.Content.ToString();
    }

    public static ILoggerFactory Logging() => LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));
}
