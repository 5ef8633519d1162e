namespace Byot.Shared.Domain;

public enum RunStatus
{
    Queued,
    Running,
    Passed,
    Failed,
    TimedOut,
    Oom,
    InfraError,
    Cancelled,
    Skipped,
}
