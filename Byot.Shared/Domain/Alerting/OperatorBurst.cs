namespace Byot.Shared.Domain.Alerting;

/// <summary>What an operator needs to act on a burst of infra_error runs: which runs, on which runners, since when,
/// and the latest error the infrastructure gave. <see cref="Runs"/> is capped; <see cref="Count"/> is not.</summary>
public sealed record OperatorBurst(
    long Count,
    int WindowMinutes,
    DateTimeOffset Since,
    IReadOnlyList<BurstRun> Runs,
    IReadOnlyList<string> Runners,
    string? LatestError);
