using Byot.Runner.Options;

namespace Byot.Runner.Containers;

/// <summary>Everything needed to create one hardened, labelled container for a run.</summary>
/// <param name="Name">Unique container name; also the prefix of its volume.</param>
/// <param name="EngineRuntime">The engine's OCI runtime (for example gVisor's); null is the engine's default.</param>
/// <param name="ProcessLimit">RLIMIT_NPROC inside the container, where the runtime counts it per sandbox (gVisor).</param>
/// <param name="AppArchivePath">A tar file unpacked into the per-run volume mounted at /app.</param>
/// <param name="AppInImage">The app is already at /app in <paramref name="Image"/> (baked): nothing is unpacked, and
/// the per-run volume only backs /artifacts.</param>
/// <param name="VolumeQuota">How <paramref name="ArtifactsLimit"/> is enforced.</param>
internal sealed record ContainerSpec(
    string Name,
    string Image,
    IReadOnlyList<string> Command,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, string> Labels,
    string AppArchivePath,
    string User,
    long MemoryBytes,
    long NanoCpus,
    long PidsLimit,
    int TmpfsMb,
    string NetworkMode,
    string? EngineRuntime = null,
    long? ProcessLimit = null,
    bool AppInImage = false,
    VolumeLimit? ArtifactsLimit = null,
    VolumeQuotaMode VolumeQuota = VolumeQuotaMode.Off);
