namespace Byot.Shared.Domain.Alerting;

/// <summary>Everything <see cref="CompletionRules.Decide"/> looks at, read in the transaction that records the result.
/// A new rule adds its input here (and its reading to <c>Completion/CompletionFactsReader</c>).</summary>
/// <param name="Run">The run just recorded; null when runs were closed without a result of their own (the lease sweep).</param>
/// <param name="Test">For a counted result: the test's state and recent counted runs.</param>
/// <param name="Infra">For an infra_error result (or the sweep's): the burst so far.</param>
/// <param name="OpenOperatorIncident">The operator incident open now, if any.</param>
/// <param name="NewIncidentId">The id an incident opened by this decision gets (ids come from outside, so the
/// decision stays a function of its facts).</param>
/// <param name="Locations">For a counted result of a test that runs from several locations: k and each location's
/// recent results (<see cref="LocationRule"/>); null for a test with one location.</param>
/// <param name="DependencyIncidents">For a counted result: the open incidents of the test's dependencies, oldest
/// first; a failing test without an incident of its own joins the first instead of opening one.</param>
/// <param name="Cases">For a counted result: the run's cases, when it reported any (quarantine, and the failing cases
/// alerts name); null otherwise.</param>
public sealed record CompletionFacts(
    AlertRun? Run,
    TestHistory? Test,
    InfraErrors? Infra,
    Incident? OpenOperatorIncident,
    AlertPolicy Policy,
    DateTimeOffset Now,
    Guid NewIncidentId,
    LocationHistory? Locations = null,
    IReadOnlyList<DependencyIncident>? DependencyIncidents = null,
    RunCaseFacts? Cases = null);
