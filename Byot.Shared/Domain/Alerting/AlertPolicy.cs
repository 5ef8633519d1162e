namespace Byot.Shared.Domain.Alerting;

/// <summary>The settings a completion decision applies: non-secret, so a runner that records results needs no
/// channel configuration.</summary>
/// <param name="ResolveAfterPasses">The severity's consecutive passes that resolve; a test's own value wins.</param>
/// <param name="Flaky">The one definition of flaky.</param>
/// <param name="InfraErrorBurst">infra_error runs within the burst window that open one operator incident.</param>
public sealed record AlertPolicy(int ResolveAfterPasses, FlakyRule Flaky, int InfraErrorBurst);
