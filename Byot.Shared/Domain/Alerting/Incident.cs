namespace Byot.Shared.Domain.Alerting;

/// <summary>A test failing past its threshold (kind <c>test</c>) or a burst of infra_error runs (kind <c>operator</c>).</summary>
public sealed record Incident(
    Guid Id,
    string Kind,
    Guid? TestId,
    string Severity,
    string DedupKey,
    DateTimeOffset FailingSince,
    DateTimeOffset OpenedAt,
    Guid? LastRunId,
    int FailureCount,
    DateTimeOffset? NextReminderAt,
    int RemindersSent,
    DateTimeOffset? ResolvedAt)
{
    public const string TestKind = "test";
    public const string OperatorKind = "operator";

    public static string DedupKeyFor(Guid incidentId) => $"byot-incident-{incidentId:D}";
}
