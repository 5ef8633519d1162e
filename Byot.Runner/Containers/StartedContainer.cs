namespace Byot.Runner.Containers;

/// <summary>A container the engine has started; <see cref="Exited"/> completes when it has ended (or faults with a
/// <see cref="ContainerEngineException"/>) and must be awaited, since it also ends the output stream.</summary>
internal sealed record StartedContainer(Task<ContainerExit> Exited);
