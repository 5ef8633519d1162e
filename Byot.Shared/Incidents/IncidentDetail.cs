namespace Byot.Shared.Incidents;

/// <summary>One incident with the runs that opened it and everything that happened to it, oldest first.</summary>
public sealed record IncidentDetail(IncidentSummary Incident, IReadOnlyList<IncidentRun> FailingRuns, IReadOnlyList<TimelineEntry> Timeline)
{
    /// <summary>The dependents that joined this incident instead of opening their own, in the order they joined.</summary>
    public IReadOnlyList<IncidentDependent> Dependents { get; init; } = [];
}
