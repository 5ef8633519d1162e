using System.Net;
using System.Net.Sockets;
using Byot.Runner.Options;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;

namespace Byot.Runner.Containers;

/// <summary>The one place that speaks Docker.DotNet. Everything it creates is hardened and labelled.</summary>
internal sealed class DockerContainerEngine : IContainerEngine, IDisposable
{
    public const string ArtifactsPath = "/artifacts";

    /// <summary>Where the per-run volume is mounted when the app is baked into the image (so /app is not hidden).</summary>
    public const string RunVolumePath = "/.byot-run";
    private const int ReadBufferBytes = 64 * 1024;
    private const long SigKillExitCode = 128 + 9;
    private const int OomLooks = 30;
    private static readonly TimeSpan OomLookInterval = TimeSpan.FromMilliseconds(100);
    private readonly DockerClient client;
    private readonly TimeProvider time;

    /// <summary>How long a create cut off by the runner's stop is given to land on the engine before it is removed again.</summary>
    private static readonly TimeSpan CutOffCreateGrace = TimeSpan.FromMilliseconds(500);

    public DockerContainerEngine(IOptions<RunnerOptions> options, TimeProvider time)
    {
        this.time = time;
        // Runs last as long as their timeout; our own tokens bound every call instead of the client's 100 s default.
        client = new DockerClientConfiguration(new Uri(options.Value.DockerEndpoint), defaultTimeout: Timeout.InfiniteTimeSpan)
            .CreateClient();
    }

    public async Task<ContainerHandle> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        var volume = spec.Name + "-app";
        var artifactsVolume = spec.Name + "-artifacts";
        var handle = new ContainerHandle(spec.Name, volume, artifactsVolume);
        var labels = spec.Labels.ToDictionary(StringComparer.Ordinal);
        try
        {
            // /artifacts is its own engine-created volume: nothing the bundle or the test writes decides what is
            // mounted there. A fresh volume's root belongs to root and no API call can hand it to the test's user, so
            // the same volume is also mounted at .artifacts inside the run volume (/app, or /.byot-run when the app is
            // baked into the image; a name bundles may not use), where the one-entry directory at the head of the
            // extracted archive gives it to the test's uid as the engine unpacks.
            var runVolumeTarget = spec.AppInImage ? RunVolumePath : "/app";
            string mountpoint;
            try
            {
                await client.Volumes.CreateAsync(VolumeParameters(volume, labels, null, spec.VolumeQuota), cancellationToken);
                mountpoint = (await client.Volumes.CreateAsync(VolumeParameters(artifactsVolume, labels, spec.ArtifactsLimit, spec.VolumeQuota), cancellationToken)).Mountpoint;
            }
            catch (DockerApiException e)
            {
                // The runner's own volume settings, never the test's: an infrastructure error for the operator.
                await TryRemoveAsync(handle);
                var hint = spec.VolumeQuota == VolumeQuotaMode.Engine
                    ? " (Byot:Runner:VolumeQuota=Engine needs the engine's data root on XFS with project quotas; see docs/security.md)"
                    : string.Empty;
                throw new ContainerEngineException($"Docker engine refused the run's volumes{hint}: {e.ResponseBody?.Trim()}", e);
            }
            var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Name = spec.Name,
                Image = spec.Image,
                // No command keeps the image's own CMD (runtime 'image' without an override).
                Cmd = spec.Command.Count > 0 ? [.. spec.Command] : null,
                Env = [.. spec.Environment.Select(e => $"{e.Key}={e.Value}")],
                Labels = labels,
                User = spec.User,
                WorkingDir = "/app",
                AttachStdout = true,
                AttachStderr = true,
                Tty = false,
                OpenStdin = false,
                NetworkDisabled = spec.NetworkMode == "none",
                HostConfig = new HostConfig
                {
                    // The run volume is /app, or, when the app is baked into the image, only the place where the
                    // ownership hand-off of /artifacts happens (see above).
                    Mounts =
                    [
                        new Mount { Type = "volume", Source = volume, Target = runVolumeTarget },
                        new Mount { Type = "volume", Source = artifactsVolume, Target = ArtifactsPath },
                        new Mount { Type = "volume", Source = artifactsVolume, Target = runVolumeTarget + "/" + OwnedDirectoryArchive.Name },
                        // BYOT's support files sit at one path either way (see SupportFiles).
                        .. spec.AppInImage ? Array.Empty<Mount>() : [new Mount { Type = "volume", Source = volume, Target = RunVolumePath, ReadOnly = true }],
                    ],
                    ReadonlyRootfs = true,
                    Tmpfs = new Dictionary<string, string> { ["/tmp"] = $"rw,nosuid,nodev,size={spec.TmpfsMb}m" },
                    ShmSize = spec.ShmMb * 1024L * 1024L,
                    CapDrop = ["ALL"],
                    SecurityOpt = ["no-new-privileges"],
                    Privileged = false,
                    PidsLimit = spec.PidsLimit,
                    Memory = spec.MemoryBytes,
                    MemorySwap = spec.MemoryBytes,
                    NanoCPUs = spec.NanoCpus,
                    Init = true,
                    NetworkMode = spec.NetworkMode,
                    Runtime = spec.EngineRuntime,
                    Ulimits = spec.ProcessLimit is { } processes ? [new Ulimit { Name = "nproc", Soft = processes, Hard = processes }] : null,
                    // Output reaches BYOT through attach; a log driver would only copy it onto the host's disk.
                    LogConfig = new LogConfig { Type = "none" },
                },
            }, cancellationToken);

            // One extraction on the critical path: the .artifacts entry, then the cached app tar unless it is baked.
            await using (Stream archive = spec.AppInImage
                ? OwnedDirectoryArchive.For(spec.User)
                : new ConcatenatedReadStream(OwnedDirectoryArchive.HeaderFor(spec.User), File.OpenRead(spec.AppArchivePath)))
            {
                await client.Containers.ExtractArchiveToContainerAsync(
                    created.ID, new ContainerPathStatParameters { Path = runVolumeTarget }, archive, cancellationToken);
            }

            return handle with { ContainerId = created.ID, ArtifactsHostPath = mountpoint } with
            {
                Watched = spec.VolumeQuota == VolumeQuotaMode.Watch && spec.ArtifactsLimit is { } limit && VolumeUsage.CanWatch(mountpoint)
                    ? [(mountpoint, limit)]
                    : null,
                Unwatched = spec.VolumeQuota == VolumeQuotaMode.Watch && !VolumeUsage.CanWatch(mountpoint),
            };
        }
        catch (OperationCanceledException)
        {
            // The runner is stopping while the container is being made: nothing half-made may outlive it. The engine
            // may still finish a create whose request was cut off, after a first removal found nothing, so look twice.
            // The pause is the engine's real time, not a product clock: a test's frozen clock must not hold a stop.
            await TryRemoveAsync(handle);
            await Task.Delay(CutOffCreateGrace, CancellationToken.None);
            await TryRemoveAsync(handle);
            throw;
        }
        catch (DockerImageNotFoundException e)
        {
            await TryRemoveAsync(handle);
            throw new ContainerEngineException($"Image '{spec.Image}' is not on this runner's Docker engine and could not be pulled: {e.Message}", e);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.BadRequest)
        {
            await TryRemoveAsync(handle);
            throw new ContainerRefusedException($"The Docker engine refused this test's container (check its memory and CPU limits against what the runner can give): {e.ResponseBody?.Trim()}", e);
        }
        catch (Exception e) when (IsEngineFault(e))
        {
            await TryRemoveAsync(handle);
            throw new ContainerEngineException($"Docker engine error while creating the container: {e.Message}", e);
        }
    }

    /// <summary>With engine quotas, the local driver's <c>size</c> option (XFS project quota on the engine's data
    /// root); an engine without them refuses the volume, and the run ends infra_error with the engine's reason.</summary>
    private static VolumesCreateParameters VolumeParameters(string name, IDictionary<string, string> labels, VolumeLimit? limit, VolumeQuotaMode quota) => new()
    {
        Name = name,
        Labels = labels,
        DriverOpts = quota == VolumeQuotaMode.Engine && limit is not null
            ? new Dictionary<string, string> { ["size"] = limit.Bytes.ToString(System.Globalization.CultureInfo.InvariantCulture) }
            : null,
    };

    public async Task<StartedContainer> StartAsync(
        ContainerHandle handle,
        IOutputSink sink,
        TimeSpan timeout,
        TimeSpan grace,
        CancellationToken cancellationToken)
    {
        MultiplexedStream? stream = null;
        try
        {
            stream = await client.Containers.AttachContainerAsync(
                handle.ContainerId, tty: false, new ContainerAttachParameters { Stream = true, Stdout = true, Stderr = true }, cancellationToken);
            await client.Containers.StartContainerAsync(handle.ContainerId, new ContainerStartParameters(), cancellationToken);
        }
        catch (Exception e) when (IsEngineFault(e))
        {
            stream?.Dispose();
            throw new ContainerEngineException($"Docker engine error while running the container: {e.Message}", e);
        }

        return new StartedContainer(FollowAsync(handle, stream, sink, timeout, grace, time.GetTimestamp(), cancellationToken));
    }

    private async Task<ContainerExit> FollowAsync(
        ContainerHandle handle,
        MultiplexedStream stream,
        IOutputSink sink,
        TimeSpan timeout,
        TimeSpan grace,
        long startedAt,
        CancellationToken cancellationToken)
    {
        using var owned = stream;
        try
        {
            var pump = PumpAsync(stream, sink, cancellationToken);
            var wait = client.Containers.WaitContainerAsync(handle.ContainerId, cancellationToken);

            var timedOut = false;
            VolumeOverrun? overrun = null;
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var watch = handle.Watched is { Count: > 0 } watched
                    ? VolumeWatch.WatchAsync(watched, time, deadline.Token)
                    : new TaskCompletionSource<VolumeOverrun>().Task;
                var finished = await Task.WhenAny(wait, Task.Delay(timeout, time, deadline.Token), watch);
                if (finished == watch && watch.IsCompletedSuccessfully)
                {
                    // Written past its limit: stopped at once (no grace), before it fills the engine's disk.
                    overrun = await watch;
                    try
                    {
                        await client.Containers.KillContainerAsync(handle.ContainerId, new ContainerKillParameters { Signal = "KILL" }, cancellationToken);
                    }
                    catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
                    {
                        // It exited on its own meanwhile; it still wrote past the limit.
                    }
                }
                else if (finished != wait)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    timedOut = true;
                    await client.Containers.StopContainerAsync(
                        handle.ContainerId, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Max(0, grace.TotalSeconds) }, cancellationToken);
                }

                await deadline.CancelAsync();
            }

            var exit = await wait;
            var duration = time.GetElapsedTime(startedAt);
            await pump;
            var state = (await client.Containers.InspectContainerAsync(handle.ContainerId, cancellationToken)).State;
            var oomKilled = state?.OOMKilled ?? false;
            var exitCode = state?.ExitCode ?? exit.StatusCode;

            // The engine learns of an OOM kill from an event that can land after the exit (under gVisor, seconds after
            // it on a loaded machine); a SIGKILL we did not send is worth a few more looks before calling it a failure.
            for (var look = 0; !oomKilled && !timedOut && overrun is null && exitCode == SigKillExitCode && look < OomLooks; look++)
            {
                await Task.Delay(OomLookInterval, time, cancellationToken);
                oomKilled = (await client.Containers.InspectContainerAsync(handle.ContainerId, cancellationToken)).State?.OOMKilled ?? false;
            }

            return new ContainerExit(exitCode, timedOut, oomKilled, duration, overrun);
        }
        catch (Exception e) when (IsEngineFault(e))
        {
            throw new ContainerEngineException($"Docker engine error while running the container: {e.Message}", e);
        }
    }

    public async Task RemoveAsync(ContainerHandle handle, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                await client.Containers.RemoveContainerAsync(handle.ContainerId, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken);
            }
            catch (DockerContainerNotFoundException)
            {
            }

            foreach (var volume in new[] { handle.VolumeName, handle.ArtifactsVolumeName })
            {
                try
                {
                    await client.Volumes.RemoveAsync(volume, force: true, cancellationToken);
                }
                catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
                {
                }
            }
        }
        catch (Exception e) when (IsEngineFault(e))
        {
            throw new ContainerEngineException($"Docker engine error while removing container {handle.ContainerId}: {e.Message}", e);
        }
    }

    public async Task<Stream?> OpenArtifactsAsync(ContainerHandle handle, CancellationToken cancellationToken)
    {
        // Most tests leave /artifacts empty. When this runner shares the engine's host and can list the volume's root
        // (the engine's own mountpoint, never a path a test wrote), that is seen without an archive call. Only the
        // listing is done here: the files themselves always come through the engine's archive API, which does not
        // follow a link out of the container, never via host paths a test could have pointed elsewhere.
        if (IsVisiblyEmpty(handle.ArtifactsHostPath))
        {
            return null;
        }

        try
        {
            var response = await client.Containers.GetArchiveFromContainerAsync(
                handle.ContainerId, new GetArchiveFromContainerParameters { Path = ArtifactsPath + "/." }, statOnly: false, cancellationToken);
            return response.Stream;
        }
        catch (Exception e) when (IsEngineFault(e))
        {
            throw new ContainerEngineException($"Docker engine error while reading /artifacts: {e.Message}", e);
        }
    }

    public async Task<int> RemoveOrphansAsync(string runnerId, CancellationToken cancellationToken)
    {
        var filter = new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Runner}={runnerId}"] = true },
        };
        var removed = 0;
        try
        {
            var containers = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter }, cancellationToken);
            foreach (var container in containers)
            {
                await client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken);
                removed++;
            }

            var volumes = await client.Volumes.ListAsync(new VolumesListParameters { Filters = filter }, cancellationToken);
            foreach (var volume in volumes.Volumes ?? [])
            {
                await client.Volumes.RemoveAsync(volume.Name, force: true, cancellationToken);
                removed++;
            }
        }
        catch (Exception e) when (IsEngineFault(e))
        {
            throw new ContainerEngineException($"Docker engine error while removing orphans: {e.Message}", e);
        }

        return removed;
    }

    public async Task<IReadOnlySet<string>> ListRuntimesAsync(CancellationToken cancellationToken)
    {
        try
        {
            var info = await client.System.GetSystemInfoAsync(cancellationToken);
            return (info.Runtimes?.Keys ?? Enumerable.Empty<string>()).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (IsEngineFault(e))
        {
            throw new ContainerEngineException($"Docker engine error while listing its runtimes: {e.Message}", e);
        }
    }

    private const string BridgeNameOption = "com.docker.network.bridge.name";
    private const string IccOption = "com.docker.network.bridge.enable_icc";

    public async Task<string> EnsureNetworkAsync(string name, string bridge, CancellationToken cancellationToken)
    {
        try
        {
            var network = await FindNetworkAsync(name, cancellationToken);
            if (network is null)
            {
                try
                {
                    await client.Networks.CreateNetworkAsync(new NetworksCreateParameters
                    {
                        Name = name,
                        Driver = "bridge",
                        CheckDuplicate = true,
                        Options = new Dictionary<string, string> { [BridgeNameOption] = bridge, [IccOption] = "false" },
                        Labels = new Dictionary<string, string> { [ContainerLabels.Managed] = "true" },
                    }, cancellationToken);
                }
                catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
                {
                    // Another runner on this engine created it first.
                }

                network = await FindNetworkAsync(name, cancellationToken) ?? throw new ContainerEngineException($"Network '{name}' vanished right after it was created.");
            }

            var options = network.Options ?? new Dictionary<string, string>();
            if (!options.TryGetValue(IccOption, out var icc) || icc != "false" || !options.TryGetValue(BridgeNameOption, out var actual) || actual != bridge)
            {
                throw new ContainerEngineException(
                    $"Network '{name}' exists without inter-container traffic off on bridge '{bridge}'; remove it (docker network rm {name}) and BYOT recreates it.");
            }

            return network.IPAM?.Config?.Select(c => c.Gateway).FirstOrDefault(g => !string.IsNullOrEmpty(g))
                ?? throw new ContainerEngineException($"Network '{name}' has no IPv4 gateway.");
        }
        catch (Exception e) when (IsEngineFault(e))
        {
            throw new ContainerEngineException($"Docker engine error while preparing network '{name}': {e.Message}", e);
        }
    }

    private async Task<NetworkResponse?> FindNetworkAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.Networks.InspectNetworkAsync(name, cancellationToken);
        }
        catch (DockerNetworkNotFoundException)
        {
            return null;
        }
    }

    public async Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            await client.Images.InspectImageAsync(image, cancellationToken);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
        catch (Exception e) when (IsEngineFault(e))
        {
            throw new ContainerEngineException($"Docker engine error while inspecting image '{image}': {e.Message}", e);
        }
    }

    public async Task<string?> ImageIdAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.Images.InspectImageAsync(image, cancellationToken)).ID;
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (IsEngineFault(e))
        {
            throw new ContainerEngineException($"Docker engine error while inspecting image '{image}': {e.Message}", e);
        }
    }

    public async Task BuildImageAsync(string tag, Stream context, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        string? error = null;
        try
        {
            await client.Images.BuildImageFromDockerfileAsync(
                new ImageBuildParameters
                {
                    Tags = [tag],
                    Labels = labels.ToDictionary(StringComparer.Ordinal),
                    Remove = true,
                    ForceRemove = true,
                },
                context,
                [],
                new Dictionary<string, string>(),
                new SyncProgress<JSONMessage>(m => error ??= m.Error?.Message ?? (string.IsNullOrEmpty(m.ErrorMessage) ? null : m.ErrorMessage)),
                cancellationToken);
        }
        catch (Exception e) when (IsEngineFault(e))
        {
            throw new ContainerEngineException($"Docker engine error while building image '{tag}': {e.Message}", e);
        }

        if (error is not null)
        {
            throw new ContainerEngineException($"Building image '{tag}' failed: {error}");
        }
    }

    public async Task<IReadOnlyList<AppImage>> ListAppImagesAsync(string runnerId, CancellationToken cancellationToken)
    {
        var filter = new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Runner}={runnerId}"] = true, [ContainerLabels.Artifact] = true },
        };
        try
        {
            var images = await client.Images.ListImagesAsync(new ImagesListParameters { Filters = filter }, cancellationToken);
            return [.. images.SelectMany(i => (i.RepoTags ?? []).Select(t => new AppImage(t, new DateTimeOffset(DateTime.SpecifyKind(i.Created, DateTimeKind.Utc)))))];
        }
        catch (Exception e) when (IsEngineFault(e))
        {
            throw new ContainerEngineException($"Docker engine error while listing app images: {e.Message}", e);
        }
    }

    public async Task<bool> RemoveImageAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            await client.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = false }, cancellationToken);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return true;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // A container (a run in progress) still uses it.
            return false;
        }
        catch (Exception e) when (IsEngineFault(e))
        {
            throw new ContainerEngineException($"Docker engine error while removing image '{image}': {e.Message}", e);
        }
    }

    public void Dispose() => client.Dispose();

    private static async Task PumpAsync(MultiplexedStream stream, IOutputSink sink, CancellationToken cancellationToken)
    {
        var buffer = new byte[ReadBufferBytes];
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
            if (read.EOF)
            {
                return;
            }

            var target = read.Target == MultiplexedStream.TargetStream.StandardError ? OutputStream.Stderr : OutputStream.Stdout;
            await sink.WriteAsync(target, buffer.AsMemory(0, read.Count), cancellationToken);
        }
    }

    private async Task TryRemoveAsync(ContainerHandle handle)
    {
        try
        {
            await RemoveAsync(handle, CancellationToken.None);
        }
        catch (ContainerEngineException)
        {
            // The orphan sweep at the next start removes what is left.
        }
    }

    private static bool IsVisiblyEmpty(string? hostPath)
    {
        try
        {
            return hostPath is not null && Directory.Exists(hostPath) && !Directory.EnumerateFileSystemEntries(hostPath).Any();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsEngineFault(Exception e) =>
        e is DockerApiException or HttpRequestException or SocketException or IOException or TimeoutException;
}
