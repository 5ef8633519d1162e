namespace Byot.Shared.Incidents;

/// <summary>A dependent listed on its dependency's incident: it failed while that dependency was down and joined the
/// incident instead of opening its own. <see cref="RecoveredAt"/>: when it passed again, if it has.</summary>
public sealed record IncidentDependent(Guid TestId, string Name, DateTimeOffset JoinedAt, Guid? JoinedByRunId, DateTimeOffset? RecoveredAt, Guid? RecoveredByRunId);
