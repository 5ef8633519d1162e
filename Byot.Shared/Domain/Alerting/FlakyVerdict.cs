namespace Byot.Shared.Domain.Alerting;

/// <summary>What <see cref="FlakyRule"/> found in recent results: flips, a pass on retry, and the state (flaky;
/// broken: failing every result; healed: the newest passes brought it back to healthy).</summary>
public sealed record FlakyVerdict(int Flips, bool PassedOnRetry, bool Flaky)
{
    public bool Broken { get; init; }

    public bool Healed { get; init; }

    public double FlipRate { get; init; }
}
