namespace Byot.Shared.Runs;

/// <summary>How a test has been doing. Uptime counts passed against passed + failed + timed_out + oom;
/// infra_error, cancelled and skipped runs are not the test's doing and are left out. Null where there is no run.
/// <see cref="Flips"/> are the pass/fail flips of the past 7 days, a statistic; <see cref="Flaky"/> is the one
/// definition of flaky that alerts and the status page use too.</summary>
public sealed record TestStats(
    Guid TestId,
    IReadOnlyDictionary<string, double?> Uptime,
    long? DurationP50Ms,
    long? DurationP95Ms,
    IReadOnlyDictionary<string, long> Counts,
    long Flips,
    bool Flaky)
{
    /// <summary>The location these figures are for; null when they cover every location.</summary>
    public string? Location { get; init; }
}
