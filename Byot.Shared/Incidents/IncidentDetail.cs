namespace Byot.Shared.Incidents;

/// <summary>One incident with the runs that opened it and everything that happened to it, oldest first.</summary>
public sealed record IncidentDetail(IncidentSummary Incident, IReadOnlyList<IncidentRun> FailingRuns, IReadOnlyList<TimelineEntry> Timeline);
