namespace Byot.Shared.Status;

/// <summary>Where an incident's page is, relative to the status page (as <c>status/screenshots/…</c> is).</summary>
public static class StatusIncidentLinks
{
    public static string For(Guid incidentId) => $"status/incidents/{incidentId:D}";
}
