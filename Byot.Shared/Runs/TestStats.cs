namespace Byot.Shared.Runs;

/// <summary>How a test has been doing. Uptime counts passed against passed + failed + timed_out + oom;
/// infra_error, cancelled and skipped runs are not the test's doing and are left out. Null where there is no run.</summary>
public sealed record TestStats(
    Guid TestId,
    IReadOnlyDictionary<string, double?> Uptime,
    long? DurationP50Ms,
    long? DurationP95Ms,
    IReadOnlyDictionary<string, long> Counts,
    long Flips)
{
    /// <summary>The location these figures are for; null when they cover every location.</summary>
    public string? Location { get; init; }
}
