namespace Byot.Shared.Domain.Alerting;

/// <summary>A dependent that joined an incident: when, by which failing run, and when it passed again.</summary>
public sealed record IncidentDependentRow(Guid TestId, string Name, DateTimeOffset JoinedAt, Guid? JoinedByRunId, DateTimeOffset? RecoveredAt, Guid? RecoveredByRunId);
