namespace Byot.Shared.Incidents;

/// <summary>Where an incident, its test and its two actions are.</summary>
public sealed record IncidentLinks(string Self, string? Test, string Ack, string Resolve)
{
    public static IncidentLinks For(Guid id, Guid? testId) =>
        new($"/incidents/{id:D}", testId is { } t ? $"/tests/{t:D}" : null, $"/incidents/{id:D}/ack", $"/incidents/{id:D}/resolve");
}
