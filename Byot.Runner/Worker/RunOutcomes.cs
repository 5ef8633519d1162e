using Byot.Shared.Domain;

namespace Byot.Runner.Worker;

/// <summary>Outcomes of runs that ended before or without their container's exit.</summary>
internal static class RunOutcomes
{
    public static RunOutcome InfraError(string error, long logBytes = 0) => new(RunStatus.InfraError, null, 0, logBytes, false, error);

    public static RunOutcome Failed(string error, long logBytes) => new(RunStatus.Failed, null, 0, logBytes, false, error);

    public static RunOutcome Cancelled(string error) => new(RunStatus.Cancelled, null, 0, 0, false, error);

    public static RunOutcome Skipped(string error) => new(RunStatus.Skipped, null, 0, 0, false, error);
}
