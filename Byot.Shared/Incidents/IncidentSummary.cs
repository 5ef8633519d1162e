namespace Byot.Shared.Incidents;

/// <summary>An incident as the API lists it: what failed, since when, who acknowledged it and how it ended.
/// <see cref="ResolvedByRunId"/> is the run that passed again; <see cref="ResolvedBy"/> and
/// <see cref="ResolutionNote"/> are set when someone closed it by hand instead. <see cref="EscalationsSent"/> counts
/// the escalation stages reached; <see cref="NextEscalationAt"/> is when the next one is due (null: none).</summary>
public sealed record IncidentSummary(
    Guid Id,
    string Kind,
    Guid? TestId,
    string? TestName,
    string Severity,
    string DedupKey,
    DateTimeOffset FailingSince,
    DateTimeOffset OpenedAt,
    Guid? OpenedByRunId,
    Guid? LastRunId,
    int FailureCount,
    int RemindersSent,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    DateTimeOffset? ResolvedAt,
    Guid? ResolvedByRunId,
    string? ResolvedBy,
    string? ResolutionNote,
    int EscalationsSent = 0,
    DateTimeOffset? NextEscalationAt = null)
{
    public const string Open = "open";
    public const string Acknowledged = "acknowledged";
    public const string Resolved = "resolved";

    /// <summary><c>open</c>, <c>acknowledged</c> (still open, someone is on it) or <c>resolved</c>.</summary>
    public string State => ResolvedAt is not null ? Resolved : AcknowledgedAt is not null ? Acknowledged : Open;

    public IncidentLinks Links => IncidentLinks.For(Id, TestId);
}
