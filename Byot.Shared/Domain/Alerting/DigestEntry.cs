namespace Byot.Shared.Domain.Alerting;

/// <summary>One line of the weekly digest: an incident of a digest-only severity, or a test marked flaky.</summary>
public sealed record DigestEntry(
    Guid TestId,
    string TestName,
    string Severity,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? ResolvedAt,
    int FailureCount,
    bool Flaky);
