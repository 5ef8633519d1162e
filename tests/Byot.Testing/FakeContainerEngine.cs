using System.Collections.Concurrent;
using System.Text;
using Byot.Runner.Containers;

namespace Byot.Testing;

/// <summary>An <see cref="IContainerEngine"/> without Docker, for the runner's decisions (timeouts, OOM, retries, lost
/// leases, cancellation, an engine that is down) in fast tests. The real engine's behaviour is covered by the
/// tests that run real containers; this fake only plays back what <see cref="Next"/> says a container does.</summary>
internal sealed class FakeContainerEngine : IContainerEngine
{
    private readonly ConcurrentQueue<ContainerSpec> created = new();
    private readonly ConcurrentQueue<ContainerHandle> removed = new();
    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What the next started container does.</summary>
    public FakeRun Next { get; set; } = FakeRun.Exits(0);

    /// <summary>What the next containers do, in order (one each, a run's tries for example); once empty,
    /// <see cref="Next"/> again.</summary>
    public ConcurrentQueue<FakeRun> Plays { get; } = new();

    /// <summary>When set, creating a container fails with this engine error (the engine is down, an image is missing).</summary>
    public string? CreateFault { get; set; }

    public IReadOnlyCollection<ContainerSpec> Created => created;

    public IReadOnlyCollection<ContainerHandle> Removed => removed;

    /// <summary>Completes when a container has been started.</summary>
    public Task Started => started.Task;

    public Task<ContainerHandle> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        if (CreateFault is { } fault)
        {
            throw new ContainerEngineException(fault);
        }

        created.Enqueue(spec);
        return Task.FromResult(new ContainerHandle("fake-" + spec.Name, spec.Name + "-app", spec.Name + "-artifacts"));
    }

    public async Task<StartedContainer> StartAsync(ContainerHandle handle, IOutputSink sink, TimeSpan timeout, TimeSpan grace, CancellationToken cancellationToken)
    {
        var run = Plays.TryDequeue(out var played) ? played : Next;
        if (run.Output.Length > 0)
        {
            await sink.WriteAsync(OutputStream.Stdout, Encoding.UTF8.GetBytes(run.Output), cancellationToken);
        }

        started.TrySetResult();
        return new StartedContainer(ExitAsync(run, timeout, cancellationToken));
    }

    public Task<Stream?> OpenArtifactsAsync(ContainerHandle handle, CancellationToken cancellationToken) => Task.FromResult<Stream?>(null);

    public Task RemoveAsync(ContainerHandle handle, CancellationToken cancellationToken)
    {
        removed.Enqueue(handle);
        return Task.CompletedTask;
    }

    public Task<int> RemoveOrphansAsync(string runnerId, CancellationToken cancellationToken) => Task.FromResult(0);

    public Task<IReadOnlySet<string>> ListRuntimesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlySet<string>>(new HashSet<string>(StringComparer.Ordinal) { "runc" });

    public Task<string> EnsureNetworkAsync(string name, string bridge, CancellationToken cancellationToken) =>
        throw new ContainerEngineException("the fake engine has no networks");

    public Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken) => Task.FromResult(true);

    /// <summary>No image id: nothing is baked, so every run takes the plain path.</summary>
    public Task<string?> ImageIdAsync(string image, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task BuildImageAsync(string tag, Stream context, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        throw new ContainerEngineException("the fake engine builds no images");

    public Task<IReadOnlyList<AppImage>> ListAppImagesAsync(string runnerId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AppImage>>([]);

    public Task<bool> RemoveImageAsync(string image, CancellationToken cancellationToken) => Task.FromResult(true);

    private static async Task<ContainerExit> ExitAsync(FakeRun run, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (run.EngineFault is { } fault)
        {
            throw new ContainerEngineException(fault);
        }

        if (run.Hangs)
        {
            // Like the real engine: stopped at the deadline, or abandoned when the caller gives up.
            await Task.Delay(timeout, cancellationToken);
            return new ContainerExit(137, TimedOut: true, OomKilled: false, timeout);
        }

        return new ContainerExit(run.ExitCode, TimedOut: false, run.OomKilled, TimeSpan.FromMilliseconds(5));
    }
}
