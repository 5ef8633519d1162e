using Byot.Shared.Domain;
using Byot.Shared.Domain.Alerting;
using Xunit;

namespace Byot.Tests.Dependencies;

/// <summary>The dependency part of the completion decision in memory (docs/alerting.md, "Dependencies"): a dependent
/// that would open an incident while a dependency's incident is open joins it instead; it stays joined while it keeps
/// failing; a pass notes its recovery; once the dependency's incident is gone, its next failure opens its own.</summary>
public sealed class DependencyRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid Checkout = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid NewId = Guid.Parse("22222222-2222-2222-2222-222222222222");
    private static readonly Guid AuthIncident = Guid.Parse("33333333-3333-3333-3333-333333333333");
    private static readonly Guid DbIncident = Guid.Parse("44444444-4444-4444-4444-444444444444");
    private static readonly Guid Own = Guid.Parse("55555555-5555-5555-5555-555555555555");
    private static readonly AlertPolicy Policy = new(ResolveAfterPasses: 1, new FlakyRule(Window: 10, MinFlips: 3), InfraErrorBurst: 3);
    private static readonly DependencyIncident AuthDown = new(AuthIncident, Guid.NewGuid(), "auth", Now.AddMinutes(-10));
    private static readonly DependencyIncident DbDown = new(DbIncident, Guid.NewGuid(), "db", Now.AddMinutes(-5));

    [Fact]
    public void A_dependent_reaching_its_threshold_while_its_dependency_is_down_joins_that_incident_and_opens_none()
    {
        var decision = Decide(Run(RunStatus.Failed, threshold: 2), State(failures: 1), [AuthDown, DbDown]);

        var join = Assert.IsType<IncidentJoin>(Assert.Single(decision.Steps));
        Assert.Equal(AuthIncident, join.Dependency.IncidentId);
        Assert.Equal(Checkout, join.Run.TestId);
        Assert.Null(decision.State!.OpenIncidentId);
        Assert.Equal(AuthIncident, decision.State.JoinedIncidentId);
        Assert.Equal(2, decision.State.ConsecutiveFailures);
    }

    [Fact]
    public void Below_its_threshold_a_failing_dependent_joins_nothing_yet()
    {
        var decision = Decide(Run(RunStatus.Failed, threshold: 3), State(failures: 1), [AuthDown]);

        Assert.Empty(decision.Steps);
        Assert.Null(decision.State!.JoinedIncidentId);
        Assert.Equal(2, decision.State.ConsecutiveFailures);
    }

    [Fact]
    public void A_joined_dependent_that_keeps_failing_while_the_incident_is_open_changes_nothing_on_it()
    {
        var decision = Decide(Run(RunStatus.Failed, threshold: 1), State(failures: 4, joined: AuthIncident), [AuthDown]);

        Assert.Empty(decision.Steps);
        Assert.Equal(AuthIncident, decision.State!.JoinedIncidentId);
        Assert.Equal(5, decision.State.ConsecutiveFailures);
    }

    [Fact]
    public void Once_the_dependency_recovered_the_next_failure_of_a_still_failing_dependent_opens_its_own_incident()
    {
        var since = Now.AddMinutes(-30);
        var decision = Decide(Run(RunStatus.Failed, threshold: 2), State(failures: 4, since: since, joined: AuthIncident), []);

        var opening = Assert.IsType<IncidentOpening>(Assert.Single(decision.Steps));
        Assert.Equal(NewId, opening.Incident.Id);
        Assert.Equal(Checkout, opening.Incident.TestId);
        Assert.Equal(since, opening.Incident.FailingSince);
        Assert.Equal(NewId, decision.State!.OpenIncidentId);
        Assert.Null(decision.State.JoinedIncidentId);
    }

    [Fact]
    public void When_the_joined_incident_is_over_but_another_dependency_is_down_the_dependent_joins_that_one()
    {
        var decision = Decide(Run(RunStatus.Failed, threshold: 1), State(failures: 3, joined: AuthIncident), [DbDown]);

        Assert.Equal(DbIncident, Assert.IsType<IncidentJoin>(Assert.Single(decision.Steps)).Dependency.IncidentId);
        Assert.Equal(DbIncident, decision.State!.JoinedIncidentId);
    }

    [Fact]
    public void A_pass_of_a_joined_dependent_notes_its_recovery_and_leaves_the_incident()
    {
        var decision = Decide(Run(RunStatus.Passed), State(failures: 3, since: Now.AddMinutes(-20), joined: AuthIncident), [AuthDown]);

        var recovery = Assert.IsType<DependentRecovery>(Assert.Single(decision.Steps));
        Assert.Equal(AuthIncident, recovery.IncidentId);
        Assert.Null(decision.State!.JoinedIncidentId);
        Assert.Equal(0, decision.State.ConsecutiveFailures);
        Assert.Null(decision.State.FailingSince);
    }

    [Fact]
    public void A_dependent_with_its_own_open_incident_keeps_it_when_its_dependency_goes_down_later()
    {
        var decision = Decide(Run(RunStatus.Failed, threshold: 1), State(failures: 2, open: Own), [AuthDown]);

        Assert.Equal(Own, Assert.IsType<IncidentFailure>(Assert.Single(decision.Steps)).IncidentId);
        Assert.Equal(Own, decision.State!.OpenIncidentId);
        Assert.Null(decision.State.JoinedIncidentId);
    }

    [Fact]
    public void Without_dependencies_down_a_failing_test_opens_its_own_incident_as_before()
    {
        var decision = Decide(Run(RunStatus.Failed, threshold: 1), State(), []);

        Assert.IsType<IncidentOpening>(Assert.Single(decision.Steps));
        Assert.Null(decision.State!.JoinedIncidentId);
    }

    [Fact]
    public void A_stale_join_below_the_threshold_is_forgotten()
    {
        // The test's threshold was raised while it was joined: the incident is over, and it is not failing enough.
        var decision = Decide(Run(RunStatus.Failed, threshold: 10), State(failures: 2, joined: AuthIncident), []);

        Assert.Empty(decision.Steps);
        Assert.Null(decision.State!.JoinedIncidentId);
    }

    private static CompletionDecision Decide(AlertRun run, AlertState state, IReadOnlyList<DependencyIncident> down) =>
        CompletionRules.Decide(new CompletionFacts(
            run, new TestHistory(state, [new CountedResult(run.IsFailure, run.Trigger)]), null, null, Policy, Now, NewId, DependencyIncidents: down));

    private static AlertRun Run(RunStatus status, int threshold = 3) =>
        new(Guid.NewGuid(), Checkout, status, RunTrigger.Schedule, null, null, null, 0, "checkout", Severity.P1, threshold, null, null);

    private static AlertState State(int failures = 0, DateTimeOffset? since = null, Guid? open = null, Guid? joined = null) =>
        AlertState.Initial(Checkout) with
        {
            ConsecutiveFailures = failures,
            FailingSince = since ?? (failures > 0 ? Now.AddMinutes(-15) : null),
            OpenIncidentId = open,
            JoinedIncidentId = joined,
        };
}
