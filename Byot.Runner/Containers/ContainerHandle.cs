namespace Byot.Runner.Containers;

/// <summary>Our reference to a created container and the volume that belongs to it.</summary>
internal sealed record ContainerHandle(string ContainerId, string VolumeName);
