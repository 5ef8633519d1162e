namespace Byot.Shared.Status;

/// <summary>What the status page's incident page shows: which flow was affected and how badly, when the problem
/// started and ended, how long it lasted (so far, while ongoing) and what happened, without internal detail (no
/// channels, errors, logs, people or notes).</summary>
public sealed record StatusIncidentPage(
    Guid Id,
    Guid FlowId,
    string Flow,
    string Severity,
    string Impact,
    DateTimeOffset Start,
    DateTimeOffset? End,
    TimeSpan Duration,
    IReadOnlyList<StatusIncidentStep> Steps)
{
    public bool Ongoing => End is null;
}
