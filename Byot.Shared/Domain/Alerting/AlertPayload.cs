
namespace Byot.Shared.Domain.Alerting;

/// <summary>The facts of one notification, stored in the outbox; each channel renders them in its own format when
/// it sends (the log lines are read from the run's log blob then, outside the evaluating transaction).</summary>
public sealed record AlertPayload(
    string Kind,
    string IncidentKind,
    Guid? IncidentId,
    string? DedupKey,
    Guid? TestId,
    string? TestName,
    string Severity,
    DateTimeOffset? FailingSince,
    int FailureCount,
    Guid? RunId,
    string? RunStatus,
    int? ExitCode,
    string? Error,
    string? LogBlob,
    long LogBytes,
    DateTimeOffset At,
    int Reminder = 0,
    IReadOnlyList<DigestEntry>? Digest = null,
    OperatorBurst? Burst = null,
    string? ResolutionNote = null,
    string? ResolvedBy = null,
    int Stage = 0,
    AlertCases? Cases = null)
{
    /// <summary>Someone closed the incident by hand (POST /incidents/{id}/resolve) rather than a run passing.</summary>
    public bool ResolvedByHand => Kind == NotificationKind.Resolve && ResolutionNote is not null;

    /// <summary>An operator incident is about the infrastructure, not about the test its latest run belonged to:
    /// it carries no test name.</summary>
    public static AlertPayload For(string kind, Incident incident, AlertRun? run, string? detail, DateTimeOffset at, int reminder = 0, OperatorBurst? burst = null, AlertCases? cases = null) => new(
        kind, incident.Kind, incident.Id, incident.DedupKey, incident.TestId, incident.Kind == Incident.OperatorKind ? null : run?.TestName, incident.Severity,
        incident.FailingSince, incident.FailureCount, run?.RunId, run?.Status.ToName(), run?.ExitCode,
        detail ?? run?.Error, run?.LogBlob, run?.LogBytes ?? 0, at, reminder, Burst: burst,
        Cases: incident.Kind == Incident.OperatorKind ? null : cases);
}
