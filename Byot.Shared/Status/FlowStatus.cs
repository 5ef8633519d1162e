namespace Byot.Shared.Status;

/// <summary>One business flow (test) on the status board.</summary>
public sealed record FlowStatus(
    Guid Id,
    string Name,
    string Severity,
    string State,
    string Reason,
    bool Flaky,
    int ConsecutiveFailures,
    int FailureThreshold,
    DateTimeOffset? LastRunAt,
    long? LastDurationMs,
    double? Uptime24h,
    double? Uptime7d,
    IReadOnlyList<string> Recent)
{
    /// <summary>Where the flow runs from.</summary>
    public IReadOnlyList<string> Locations { get; init; } = [];

    /// <summary>Locations whose latest judged run did not pass.</summary>
    public IReadOnlyList<string> FailingLocations { get; init; } = [];
}
