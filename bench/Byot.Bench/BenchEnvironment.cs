using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Byot.Runner;
using Byot.Shared;
using Byot.Shared.Artifacts;
using Byot.Shared.Domain;
using Byot.Shared.Runs;
using Byot.Shared.Storage;
using Byot.Shared.Uploads;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Byot.Bench;

/// <summary>A private database, containers and queues on the real services, the real upload and run services, and
/// the real runner in this process; dropped afterwards.</summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    public const string Postgres = "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres";
    public const string Storage = "UseDevelopmentStorage=true";
    public const string BusyboxImage = "byot-local/busybox:1";

    private readonly string suffix = Guid.NewGuid().ToString("N")[..10];
    private ServiceProvider services = null!;

    private BenchEnvironment()
    {
    }

    public RunStore Runs => services.GetRequiredService<RunStore>();

    public T Service<T>()
        where T : notnull => services.GetRequiredService<T>();

    public NpgsqlDataSource DataSource => services.GetRequiredService<NpgsqlDataSource>();

    public string QueueName => "bench-runs-" + suffix;

    public string RunnerId => "bench-" + suffix;

    private string Database => "byot_bench_" + suffix;

    public static async Task<BenchEnvironment> CreateAsync(CancellationToken cancellationToken)
    {
        var environment = new BenchEnvironment();
        await using (var admin = NpgsqlDataSource.Create(Postgres + ";Database=postgres"))
        await using (var create = admin.CreateCommand($"CREATE DATABASE \"{environment.Database}\""))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        environment.services = new ServiceCollection().AddLogging().AddByotShared(environment.Configuration()).BuildServiceProvider();
        await environment.services.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
        await environment.services.GetRequiredService<StorageProvisioner>().EnsureAsync(cancellationToken);
        return environment;
    }

    public IConfiguration Configuration(IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Byot:Database:ConnectionString"] = $"{Postgres};Database={Database}",
            ["Byot:Database:MigrateOnStart"] = "false",
            ["Byot:Storage:ConnectionString"] = Storage,
            ["Byot:Storage:ArtifactsContainer"] = "bench-artifacts-" + suffix,
            ["Byot:Storage:LogsContainer"] = "bench-logs-" + suffix,
            ["Byot:Storage:RunsQueue"] = "bench-runs-" + suffix,
            ["Byot:Storage:PoisonQueue"] = "bench-poison-" + suffix,
            ["Byot:Storage:ProvisionOnStart"] = "false",
            ["Byot:Runner:Id"] = RunnerId,
            ["Byot:Runner:ArtifactCacheDirectory"] = Path.Combine(Path.GetTempPath(), "byot-bench-cache", suffix),
            ["Byot:Runner:Runtimes:go:Image"] = BusyboxImage,
            ["Byot:Runner:Runtimes:go:Command:0"] = "{file}",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    /// <summary>Creates a test from a shell script through the real upload service.</summary>
    public async Task<Guid> UploadScriptAsync(string script, IEnumerable<(string Name, string Value)>? fields = null, CancellationToken cancellationToken = default) =>
        await UploadFileAsync(Encoding.UTF8.GetBytes("#!/bin/sh\n" + script + "\n"), "bench.sh", fields, cancellationToken);

    /// <summary>Creates a test from any file (a script, a bundle) through the real upload service.</summary>
    public async Task<Guid> UploadFileAsync(byte[] file, string fileName, IEnumerable<(string Name, string Value)>? fields = null, CancellationToken cancellationToken = default) =>
        await services.GetRequiredService<UploadService>().CreateTestAsync(Parts(file, fileName, fields ?? [], cancellationToken), cancellationToken);

    /// <summary>The runner settings a benchmark's line must state: the defaults a user gets unless overridden.</summary>
    public static IReadOnlyList<(string Key, double Value)> RunnerFigures(IDictionary<string, string?>? settings = null)
    {
        var defaults = new Runner.Options.RunnerOptions();
        double Setting(string name, int fallback) =>
            settings is not null && settings.TryGetValue("Byot:Runner:" + name, out var v) && v is not null ? double.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
        return [("idle_poll_ms", Setting(nameof(defaults.MaxIdlePollMilliseconds), defaults.MaxIdlePollMilliseconds)), ("concurrency", Setting(nameof(defaults.MaxConcurrentRuns), defaults.MaxConcurrentRuns))];
    }

    /// <summary>When the run's container started, as the runner recorded it.</summary>
    public async Task<DateTimeOffset> StartedAtAsync(Guid runId, CancellationToken cancellationToken)
    {
        var run = await WaitFinalAsync(runId, TimeSpan.FromMilliseconds(20), cancellationToken);
        if (run.Status != RunStatus.Passed || run.StartedAt is not { } started)
        {
            throw new InvalidOperationException($"bench run {runId} ended {run.Status}: {run.Error}");
        }

        return started;
    }

    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Max(0, Math.Ceiling(p * sorted.Length) - 1))];
    }

    /// <summary>Inserts a manual run and puts it on the queue (the message is visible when this returns). Always a
    /// new run, even while another of the test waits: the API's run-now would answer the waiting one, and benches
    /// queue many runs of one test on purpose.</summary>
    public async Task<Guid> RunNowAsync(Guid testId, CancellationToken cancellationToken)
    {
        var run = await Runs.CreateManualAsync(Guid.NewGuid(), testId, cancellationToken) ?? throw new InvalidOperationException($"No test {testId}.");
        await services.GetRequiredService<Byot.Shared.Queue.RunQueue>().EnqueueAsync(Byot.Shared.Queue.QueuedRun.Now(run), cancellationToken);
        await Runs.MarkEnqueuedAsync(run.Id, cancellationToken);
        return run.Id;
    }

    public async Task<TestRun> WaitFinalAsync(Guid runId, TimeSpan poll, CancellationToken cancellationToken)
    {
        while (true)
        {
            var run = await Runs.FindAsync(runId, cancellationToken);
            if (run is { Status: var status } && status.IsFinal())
            {
                return run;
            }

            await Task.Delay(poll, cancellationToken);
        }
    }

    public async Task<IHost> StartRunnerAsync(IDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(Configuration(settings));
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddConsole();
        builder.AddByotRunner();
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        var blobs = services.GetRequiredService<BlobServiceClient>();
        var queues = services.GetRequiredService<QueueServiceClient>();
        await blobs.GetBlobContainerClient("bench-artifacts-" + suffix).DeleteIfExistsAsync();
        await blobs.GetBlobContainerClient("bench-logs-" + suffix).DeleteIfExistsAsync();
        await queues.GetQueueClient("bench-runs-" + suffix).DeleteIfExistsAsync();
        await queues.GetQueueClient("bench-poison-" + suffix).DeleteIfExistsAsync();
        await services.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(Postgres + ";Database=postgres");
        await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)");
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Seconds a shell command line takes, run with bash so pipes and redirection work.</summary>
    public static async Task<double> TimeShellAsync(string commandLine, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await BenchServices.ShellAsync("bash", ["-c", commandLine], cancellationToken);
        return clock.Elapsed.TotalSeconds;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async IAsyncEnumerable<UploadPart> Parts(byte[] file, string fileName, IEnumerable<(string Name, string Value)> fields, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        yield return new UploadPart(UploadFields.Runtime, null, new MemoryStream("go"u8.ToArray()));
        foreach (var (name, value) in fields)
        {
            yield return new UploadPart(name, null, new MemoryStream(Encoding.UTF8.GetBytes(value)));
        }

        yield return new UploadPart(UploadFields.Binary, fileName, new MemoryStream(file));
    }
}
