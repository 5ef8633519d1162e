namespace Byot.Shared.Incidents;

/// <summary>One of the failing runs that opened an incident.</summary>
public sealed record IncidentRun(Guid RunId, string Status, int? ExitCode, DateTimeOffset? FinishedAt, string? Error)
{
    public string Link => $"/runs/{RunId:D}";
}
