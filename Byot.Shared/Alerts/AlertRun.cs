using Byot.Shared.Domain;

namespace Byot.Shared.Alerts;

/// <summary>A finished run with the parts of its test's definition the evaluator needs.</summary>
public sealed record AlertRun(
    Guid RunId,
    Guid TestId,
    RunStatus Status,
    string Trigger,
    int? ExitCode,
    string? Error,
    string? LogBlob,
    long LogBytes,
    string TestName,
    Severity Severity,
    int FailureThreshold,
    int? ReminderMinutes,
    int? ResolveAfterPasses)
{
    /// <summary>Only these count against a test; infra_error, cancelled and skipped never do.</summary>
    public bool IsFailure => Status is RunStatus.Failed or RunStatus.TimedOut or RunStatus.Oom;

    public bool IsCounted => IsFailure || Status == RunStatus.Passed;
}
