namespace Byot.Shared.Domain;

/// <summary>The snake_case names runs carry in Postgres and in the API.</summary>
public static class RunStatuses
{
    private static readonly Dictionary<RunStatus, string> Names = new()
    {
        [RunStatus.Queued] = "queued",
        [RunStatus.Running] = "running",
        [RunStatus.Passed] = "passed",
        [RunStatus.Failed] = "failed",
        [RunStatus.TimedOut] = "timed_out",
        [RunStatus.Oom] = "oom",
        [RunStatus.InfraError] = "infra_error",
        [RunStatus.Cancelled] = "cancelled",
        [RunStatus.Skipped] = "skipped",
    };

    private static readonly Dictionary<string, RunStatus> ByName =
        Names.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    public static string ToName(this RunStatus status) => Names[status];

    public static RunStatus Parse(string name) =>
        ByName.TryGetValue(name, out var status) ? status : throw new FormatException($"Unknown run status '{name}'.");

    public static bool IsFinal(this RunStatus status) => status is not (RunStatus.Queued or RunStatus.Running);
}
