using System.Globalization;
using Byot.Shared.Problems;

namespace Byot.Shared.Incidents;

/// <summary>The problems of acting on an incident, worded once.</summary>
internal static class IncidentProblems
{
    public static ConflictException AlreadyResolved(IncidentSummary incident) =>
        new("incident-resolved", "Incident already resolved",
            string.Create(CultureInfo.InvariantCulture,
                $"Incident {incident.Id} was resolved at {incident.ResolvedAt:O}{(incident.ResolvedBy is { } by ? " by " + by : "")}; there is nothing left to acknowledge or resolve. GET /incidents?state=open lists the open ones."));
}
