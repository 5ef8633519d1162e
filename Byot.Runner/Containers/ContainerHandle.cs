namespace Byot.Runner.Containers;

/// <summary>Our reference to a created container and the per-run volumes that belong to it (one for /app, one for
/// /artifacts). <see cref="ArtifactsHostPath"/> is the engine's own mountpoint of the /artifacts volume.</summary>
internal sealed record ContainerHandle(string ContainerId, string VolumeName, string ArtifactsVolumeName, string? ArtifactsHostPath = null);
