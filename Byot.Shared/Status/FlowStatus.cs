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
    /// <summary>For a red flow whose latest run failed with an image in its artifacts (a browser test's screenshot):
    /// where the page shows it from, relative to /status; null otherwise.</summary>
    public string? Screenshot { get; init; }

    /// <summary>Where the flow runs from.</summary>
    public IReadOnlyList<string> Locations { get; init; } = [];

    /// <summary>The latest run's case counts ("38 of 40 passing"); null when it reported no cases.</summary>
    public FlowCases? Cases { get; init; }

    /// <summary>The latest run failed only in quarantined cases: passing, with quarantined cases failing.</summary>
    public bool PassingWithQuarantined { get; init; }

    /// <summary>Locations whose latest judged run did not pass.</summary>
    public IReadOnlyList<string> FailingLocations { get; init; } = [];

    /// <summary>The last 30 UTC days, oldest first, each with the incidents open at some moment of it.</summary>
    public IReadOnlyList<StatusDay> History { get; init; } = [];

    /// <summary>The incidents of those 30 days, newest first, each with its page.</summary>
    public IReadOnlyList<StatusIncident> Incidents { get; init; } = [];
}
