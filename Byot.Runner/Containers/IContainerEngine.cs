namespace Byot.Runner.Containers;

/// <summary>BYOT's seam over the container engine. Engine failures surface as <see cref="ContainerEngineException"/>.</summary>
internal interface IContainerEngine
{
    /// <summary>Creates the per-run volume and the container, and unpacks the app archive into the volume.</summary>
    Task<ContainerHandle> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken);

    /// <summary>Starts the container and returns once it runs; its output streams to <paramref name="sink"/> until
    /// <see cref="StartedContainer.Exited"/> completes. Past <paramref name="timeout"/> (counted from the start) it is
    /// stopped (SIGTERM, then SIGKILL after <paramref name="grace"/>). The caller records the start: the engine knows
    /// nothing of runs or storage.</summary>
    Task<StartedContainer> StartAsync(
        ContainerHandle handle,
        IOutputSink sink,
        TimeSpan timeout,
        TimeSpan grace,
        CancellationToken cancellationToken);

    /// <summary>A tar of what the test left in /artifacts, or null when it is known to be empty; readable after the
    /// container exited, before removal.</summary>
    Task<Stream?> OpenArtifactsAsync(ContainerHandle handle, CancellationToken cancellationToken);

    /// <summary>Removes the container and its volume; missing ones are fine.</summary>
    Task RemoveAsync(ContainerHandle handle, CancellationToken cancellationToken);

    /// <summary>Removes every container and volume labelled with <paramref name="runnerId"/>; returns how many.</summary>
    Task<int> RemoveOrphansAsync(string runnerId, CancellationToken cancellationToken);

    /// <summary>The OCI runtimes the engine has registered (runc, and gVisor's where installed).</summary>
    Task<IReadOnlySet<string>> ListRuntimesAsync(CancellationToken cancellationToken);

    /// <summary>Creates BYOT's bridge network for network-enabled tests if it is missing (labelled, inter-container
    /// traffic off, bridge interface <paramref name="bridge"/>), refuses one that exists with other settings, and
    /// returns its gateway address.</summary>
    Task<string> EnsureNetworkAsync(string name, string bridge, CancellationToken cancellationToken);

    /// <summary>Whether the image exists locally.</summary>
    Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken);

    /// <summary>The local image's id, or null when it is not on the engine.</summary>
    Task<string?> ImageIdAsync(string image, CancellationToken cancellationToken);

    /// <summary>Builds <paramref name="tag"/> from a tar build context (see <see cref="AppImageContext"/>), without
    /// pulling, labelled with <paramref name="labels"/>.</summary>
    Task BuildImageAsync(string tag, Stream context, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);

    /// <summary>The baked app images labelled with <paramref name="runnerId"/>.</summary>
    Task<IReadOnlyList<AppImage>> ListAppImagesAsync(string runnerId, CancellationToken cancellationToken);

    /// <summary>Removes an image unless a container still uses it; returns whether it is gone.</summary>
    Task<bool> RemoveImageAsync(string image, CancellationToken cancellationToken);
}
