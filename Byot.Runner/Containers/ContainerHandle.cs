namespace Byot.Runner.Containers;

/// <summary>Our reference to a created container and the per-run volume that belongs to it.
/// <see cref="ArtifactsHostPath"/> is where /artifacts lives on the engine's host.</summary>
internal sealed record ContainerHandle(string ContainerId, string VolumeName, string? ArtifactsHostPath = null);
