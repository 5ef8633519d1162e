namespace Byot.Shared.Domain.Alerting;

/// <summary>One infra_error run of a burst; no runner when it was closed before one held it (a poisoned message).</summary>
public sealed record BurstRun(Guid RunId, string TestName, string? RunnerId, DateTimeOffset FinishedAt);
