namespace Byot.Shared.Domain.Alerting;

/// <summary>What follows from a result; written in the result's transaction. A new rule adds its output here.</summary>
/// <param name="State">The test's alert state to keep; null leaves it as it was (infra_error, cancelled, skipped).</param>
/// <param name="Steps">Incident changes in order; each opening or resolution records its notification event.</param>
/// <param name="BecameFlaky">The test was not flaky before this result and is now.</param>
/// <param name="QuarantinedOnly">The run failed, but only in quarantined cases: it counted as a pass (recorded on the
/// run, so the status page shows it passing with quarantined cases).</param>
/// <param name="Cases">The run's failing cases as notifications name them; null when it reported none.</param>
public sealed record CompletionDecision(AlertState? State, IReadOnlyList<IncidentStep> Steps, bool BecameFlaky, bool QuarantinedOnly = false, AlertCases? Cases = null)
{
    public static readonly CompletionDecision Nothing = new(null, [], false);
}
