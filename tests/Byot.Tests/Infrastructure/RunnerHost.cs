using Byot.Runner;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Byot.Tests.Infrastructure;

/// <summary>The real Runner host, started in-process against an environment's queue and the real Docker engine,
/// with the locally built runtime images.</summary>
public sealed class RunnerHost : IAsyncDisposable
{
    public const string BusyboxImage = "byot-local/busybox:1";
    public const string NodeImage = "byot-local/node:2";
    public const string PythonImage = "byot-local/python:1";

    private readonly IHost host;
    private bool stopped;

    private RunnerHost(IHost host, string runnerId)
    {
        this.host = host;
        RunnerId = runnerId;
    }

    public string RunnerId { get; }

    public IServiceProvider Services => host.Services;

    /// <param name="services">Replaces runner services after the real wiring, e.g. the clock.</param>
    public static async Task<RunnerHost> StartAsync(ByotEnvironment environment, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var runnerId = "test-" + Guid.NewGuid().ToString("N")[..10];
        var all = new Dictionary<string, string?>
        {
            ["Byot:Runner:Id"] = runnerId,
            ["Byot:Runner:MaxConcurrentRuns"] = "2",
            ["Byot:Runner:VisibilityTimeoutSeconds"] = "30",
            ["Byot:Runner:MaxIdlePollMilliseconds"] = "200",
            // scripts/test.sh runs the hostile-test classes a second time with BYOT_TEST_ISOLATION=gvisor.
            ["Byot:Runner:Isolation"] = Environment.GetEnvironmentVariable("BYOT_TEST_ISOLATION") ?? "runc",
            ["Byot:Runner:ArtifactCacheDirectory"] = Path.Combine(Path.GetTempPath(), "byot-test-cache", runnerId),
            ["Byot:Runner:Runtimes:go:Image"] = BusyboxImage,
            ["Byot:Runner:Runtimes:go:Command:0"] = "{file}",
            ["Byot:Runner:Runtimes:go:BundleCommand:0"] = "/app/run",
            ["Byot:Runner:Runtimes:binary:Image"] = BusyboxImage,
            ["Byot:Runner:Runtimes:binary:Command:0"] = "{file}",
            ["Byot:Runner:Runtimes:shell:Image"] = BusyboxImage,
            ["Byot:Runner:Runtimes:shell:Command:0"] = "/bin/sh",
            ["Byot:Runner:Runtimes:shell:Command:1"] = "{file}",
            ["Byot:Runner:Runtimes:python:Image"] = PythonImage,
            ["Byot:Runner:Runtimes:python:Command:0"] = "python3",
            ["Byot:Runner:Runtimes:python:Command:1"] = "{file}",
            ["Byot:Runner:Runtimes:node:Image"] = NodeImage,
            ["Byot:Runner:Runtimes:node:Command:0"] = "node",
            ["Byot:Runner:Runtimes:node:Command:1"] = "{file}",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(environment.Settings(all));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (Environment.GetEnvironmentVariable("BYOT_TEST_RUNNER_LOGS") == "1")
        {
            // For debugging a runner test: dotnet test … with BYOT_TEST_RUNNER_LOGS=1 shows the runner's warnings.
            builder.Logging.AddConsole();
        }
        builder.AddByotRunner();
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new RunnerHost(host, runnerId);
    }

    /// <summary>Stops receiving and drains the runs in flight; a cancelled token cuts the drain short.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await host.StopAsync(cancellationToken);
        stopped = true;
    }

    /// <summary>Stops the runner, then removes whatever it left on the engine: a run cut off by the stop (or one
    /// that never ended because the test failed) keeps its container and volume otherwise.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!stopped)
            {
                await host.StopAsync();
            }

            host.Dispose();
        }
        finally
        {
            await EngineLeftovers.RemoveAsync(RunnerId);

            // Bundles this runner baked into images: every test runner has its own id, so nothing reuses them.
            var images = (await RunnerKit.DockerAsync("images", "-q", "--filter", $"label=byot.runner={RunnerId}"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray();
            if (images.Length > 0)
            {
                await RunnerKit.DockerAsync(["rmi", .. images]);
            }
        }
    }
}
