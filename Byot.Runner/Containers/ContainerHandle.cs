namespace Byot.Runner.Containers;

/// <summary>Our reference to a created container and the per-run volumes that belong to it (one for /app, one for
/// /artifacts). <see cref="ArtifactsHostPath"/> is the engine's own mountpoint of the /artifacts volume.
/// <see cref="Watched"/> are the volumes the engine watches while the test runs (see <see cref="VolumeWatch"/>);
/// <see cref="Unwatched"/> says that watching was asked for but the Runner cannot read the engine's mountpoints.</summary>
internal sealed record ContainerHandle(
    string ContainerId,
    string VolumeName,
    string ArtifactsVolumeName,
    string? ArtifactsHostPath = null,
    IReadOnlyList<(string HostPath, VolumeLimit Limit)>? Watched = null,
    bool Unwatched = false);
