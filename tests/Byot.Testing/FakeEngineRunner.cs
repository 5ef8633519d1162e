using Byot.Runner;
using Byot.Runner.Containers;
using Byot.Runner.Worker;
using Byot.Shared.Domain;
using Byot.Shared.Queue;
using Byot.Shared.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Byot.Testing;

/// <summary>The Runner's real wiring over an environment's real Postgres and Azurite, with <see cref="FakeContainerEngine"/>
/// in place of Docker and no receive loop: a test queues a run through the real API, takes the delivery itself and
/// hands it to the real <see cref="RunExecutor"/>, so it decides when (and whether) each step happens.</summary>
internal sealed class FakeEngineRunner : IAsyncDisposable
{
    private readonly ServiceProvider services;

    private FakeEngineRunner(ServiceProvider services, FunctionsClient client, string runnerId, TimeSpan visibility)
    {
        this.services = services;
        Client = client;
        Api = new ByotApi(client);
        RunnerId = runnerId;
        Visibility = visibility;
    }

    public FakeContainerEngine Engine => (FakeContainerEngine)services.GetRequiredService<IContainerEngine>();

    public FunctionsClient Client { get; }

    public ByotApi Api { get; }

    public string RunnerId { get; }

    public TimeSpan Visibility { get; }

    /// <param name="services">Replaces parts of the wiring, for example the Runner's <see cref="TimeProvider"/>.</param>
    public static FakeEngineRunner Start(ByotEnvironment environment, IDictionary<string, string?>? runnerSettings = null, Action<IServiceCollection>? services = null)
    {
        var runnerId = "fake-" + Guid.NewGuid().ToString("N")[..10];
        var settings = new Dictionary<string, string?>
        {
            ["Byot:Runner:Id"] = runnerId,
            ["Byot:Runner:Isolation"] = "runc",
            ["Byot:Runner:StopGraceSeconds"] = "1",
            ["Byot:Runner:InfraRetryDelaySeconds"] = "0",
            ["Byot:Runner:ArtifactCacheDirectory"] = Path.Combine(Path.GetTempPath(), "byot-test-cache", runnerId),
            ["Byot:Runner:Runtimes:go:Image"] = "byot-local/busybox:1",
            ["Byot:Runner:Runtimes:go:Command:0"] = "{file}",
        };
        foreach (var (key, value) in runnerSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = environment.Configuration(settings);
        var collection = new ServiceCollection().AddLogging().AddByotRunner(configuration);
        collection.AddSingleton<IContainerEngine, FakeContainerEngine>();
        services?.Invoke(collection);
        var visibility = TimeSpan.FromSeconds(configuration.GetValue("Byot:Runner:VisibilityTimeoutSeconds", 60));
        return new FakeEngineRunner(collection.BuildServiceProvider(), new FunctionsClient(environment), runnerId, visibility);
    }

    /// <summary>Uploads a test (the engine never runs the file) and queues a manual run of it.</summary>
    public async Task<Guid> QueueRunAsync(params (string Name, string Value)[] fields)
    {
        var upload = await Api.UploadAsync("#!/bin/sh\n"u8.ToArray(), "test.sh", [("runtime", "go"), ("severity", "P2"), .. fields]);
        Assert.True(upload.Status == 201, upload.ToString());
        return await Api.RunNowOkAsync(upload.Json.GetProperty("id").GetGuid());
    }

    /// <summary>Takes the next delivery of <paramref name="runId"/> off the queue, as the receive loop would.</summary>
    public async Task<ReceivedRunMessage> ReceiveAsync(Guid runId)
    {
        var queue = services.GetRequiredService<RunQueue>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            foreach (var message in (await Task.WhenAll(queue.ReceiveQueues(Byot.Shared.Locations.LocationNames.Default)
                         .Select(name => queue.ReceiveAsync(name, 1, Visibility, CancellationToken.None)))).SelectMany(m => m))
            {
                if (message.Message?.RunId == runId)
                {
                    return message;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"run {runId} was never delivered");
            await Task.Delay(100);
        }
    }

    public Task ExecuteAsync(ReceivedRunMessage message, CancellationToken cancellationToken = default) =>
        services.GetRequiredService<RunExecutor>().ExecuteAsync(message, cancellationToken);

    /// <summary>Queues a run with <paramref name="fields"/>, delivers it once and returns what was recorded.</summary>
    public async Task<TestRun> RunOnceAsync(FakeRun run, params (string Name, string Value)[] fields)
    {
        Engine.Next = run;
        var runId = await QueueRunAsync(fields);
        await ExecuteAsync(await ReceiveAsync(runId));
        return await FindAsync(runId);
    }

    /// <summary>What the receive loop does when the host stops: in-flight runs finish the try they are in.</summary>
    public void StopRunner() => services.GetRequiredService<RunnerStopping>().Stop();

    public async Task<TestRun> FindAsync(Guid runId) =>
        await services.GetRequiredService<RunStore>().FindAsync(runId, CancellationToken.None) ?? throw new InvalidOperationException($"no run {runId}");

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await services.DisposeAsync();
    }
}
