using Byot.Runner.Containers;
using Byot.Shared.Storage;

namespace Byot.Runner.Worker;

/// <summary>What ends a run as infra_error rather than the test's failure: a fault of a dependency (the engine, the
/// database, Blob or Queue storage, each judged by its own classifier) or of the runner's own disk (the artifact cache).</summary>
internal static class InfrastructureFaults
{
    public static bool IsInfrastructure(Exception e) =>
        e is ContainerEngineException or IOException or InvalidDataException or UnauthorizedAccessException
        || PostgresFaults.IsFault(e)
        || StorageFaults.IsFault(e);
}
