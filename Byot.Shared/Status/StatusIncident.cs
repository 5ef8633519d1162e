namespace Byot.Shared.Status;

/// <summary>An incident of a flow as the status page lists it: when it started and ended (null while ongoing), and
/// where its page is, relative to /status's base.</summary>
public sealed record StatusIncident(Guid Id, DateTimeOffset Start, DateTimeOffset? End)
{
    public bool Ongoing => End is null;

    public string Link => StatusIncidentLinks.For(Id);
}
