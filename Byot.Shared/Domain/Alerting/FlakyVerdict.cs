namespace Byot.Shared.Domain.Alerting;

/// <summary>What <see cref="FlakyRule"/> found in a test's recent counted runs.</summary>
public sealed record FlakyVerdict(int Flips, bool PassedOnRetry, bool Flaky);
