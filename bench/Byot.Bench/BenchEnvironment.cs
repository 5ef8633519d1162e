using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Byot.Runner;
using Byot.Shared;
using Byot.Shared.Domain;
using Byot.Shared.Options;
using Byot.Shared.Storage;
using Byot.Shared.Uploads;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Byot.Bench;

/// <summary>A private database, containers and queues on the real services (the tests' <see cref="ByotEnvironment"/>),
/// the real upload and run services, and the real runner in this process; dropped afterwards.</summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    public const string BusyboxImage = "byot-local/busybox:1";

    private readonly string suffix = Guid.NewGuid().ToString("N")[..10];
    private readonly ByotEnvironment slice;
    private ServiceProvider services = null!;

    private BenchEnvironment(bool s3) => slice = ByotEnvironment.On(s3 ? StorageBackend.S3 : StorageBackend.Blob);

    /// <summary>Artifacts and logs on the S3 backend (buckets of this environment's own) instead of Azurite's Blob.</summary>
    public bool OnS3 => slice.Backend == StorageBackend.S3;

    public string ArtifactsContainer => slice.ArtifactsContainer;

    public RunStore Runs => services.GetRequiredService<RunStore>();

    public T Service<T>()
        where T : notnull => services.GetRequiredService<T>();

    public NpgsqlDataSource DataSource => services.GetRequiredService<NpgsqlDataSource>();

    public static string Storage => ByotEnvironment.StorageConnection;

    public string QueueName => slice.RunsQueue;

    public string RunnerId => "bench-" + suffix;

    public static async Task<BenchEnvironment> CreateAsync(CancellationToken cancellationToken, bool s3 = false)
    {
        var environment = new BenchEnvironment(s3);
        await environment.slice.InitializeAsync().WaitAsync(cancellationToken);
        environment.services = new ServiceCollection().AddLogging().AddByotShared(environment.Configuration()).BuildServiceProvider();
        return environment;
    }

    public IConfiguration Configuration(IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Byot:Runner:Id"] = RunnerId,
            ["Byot:Runner:ArtifactCacheDirectory"] = Path.Combine(Path.GetTempPath(), "byot-bench-cache", suffix),
            ["Byot:Runner:Runtimes:go:Image"] = BusyboxImage,
            ["Byot:Runner:Runtimes:go:Command:0"] = "{file}",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return slice.Configuration(settings);
    }

    /// <summary>Creates a test from a shell script through the real upload service.</summary>
    public async Task<Guid> UploadScriptAsync(string script, IEnumerable<(string Name, string Value)>? fields = null, CancellationToken cancellationToken = default) =>
        await UploadFileAsync(Encoding.UTF8.GetBytes("#!/bin/sh\n" + script + "\n"), "bench.sh", fields, cancellationToken);

    /// <summary>Creates a test from any file (a script, a bundle) through the real upload service.</summary>
    public Task<Guid> UploadFileAsync(byte[] file, string fileName, IEnumerable<(string Name, string Value)>? fields = null, CancellationToken cancellationToken = default) =>
        UploadFileAsync(file, fileName, "go", fields, cancellationToken);

    /// <summary>The same, for another runtime than go.</summary>
    public async Task<Guid> UploadFileAsync(byte[] file, string fileName, string runtime, IEnumerable<(string Name, string Value)>? fields, CancellationToken cancellationToken) =>
        await services.GetRequiredService<UploadService>().CreateTestAsync(Parts(file, fileName, fields ?? [], runtime, cancellationToken), cancellationToken);

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
        await services.DisposeAsync();
        await slice.DisposeAsync();
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

    private static async IAsyncEnumerable<UploadPart> Parts(byte[] file, string fileName, IEnumerable<(string Name, string Value)> fields, string runtime, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        yield return new UploadPart(UploadFields.Runtime, null, new MemoryStream(Encoding.UTF8.GetBytes(runtime)));
        foreach (var (name, value) in fields)
        {
            yield return new UploadPart(name, null, new MemoryStream(Encoding.UTF8.GetBytes(value)));
        }

        yield return new UploadPart(UploadFields.Binary, fileName, new MemoryStream(file));
    }
}
