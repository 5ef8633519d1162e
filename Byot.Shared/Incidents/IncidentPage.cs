namespace Byot.Shared.Incidents;

/// <summary>One page of incidents, newest first; <see cref="Next"/> fetches the page after it.</summary>
public sealed record IncidentPage(IReadOnlyList<IncidentSummary> Incidents, string? Next);
