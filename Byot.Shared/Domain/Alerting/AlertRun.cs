namespace Byot.Shared.Domain.Alerting;

/// <summary>A finished run with the parts of its test's definition the decision needs.</summary>
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
    public bool IsFailure => Status.IsFailure();

    public bool IsCounted => Status.IsCounted();
}
