using Byot.Shared.Domain;
using Byot.Shared.Domain.Alerting;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>The completion decision in memory, rule by rule as docs/alerting.md states them: streaks and thresholds,
/// resolveAfterPasses and its overrides, what counts, one open incident, flakiness, the operator's burst.</summary>
public sealed class CompletionRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid TestId = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid NewId = Guid.Parse("22222222-2222-2222-2222-222222222222");
    private static readonly Guid OpenId = Guid.Parse("33333333-3333-3333-3333-333333333333");
    private static readonly AlertPolicy Policy = new(ResolveAfterPasses: 1, new FlakyRule(Window: 10, MinFlips: 3), InfraErrorBurst: 3);

    [Theory]
    [InlineData(RunStatus.Failed)]
    [InlineData(RunStatus.TimedOut)]
    [InlineData(RunStatus.Oom)]
    public void Each_failure_status_counts_and_the_threshold_th_consecutive_failure_opens_an_incident(RunStatus status)
    {
        var since = Now.AddMinutes(-10);
        var below = Decide(Run(status, threshold: 3), State(failures: 1, since: since));
        Assert.Empty(below.Steps);
        Assert.Equal(2, below.State!.ConsecutiveFailures);
        Assert.Null(below.State.OpenIncidentId);

        var at = Decide(Run(status, threshold: 3), State(failures: 2, since: since));
        var opening = Assert.IsType<IncidentOpening>(Assert.Single(at.Steps));
        Assert.Equal(Incident.TestKind, opening.Incident.Kind);
        Assert.Equal(NewId, opening.Incident.Id);
        Assert.Equal(TestId, opening.Incident.TestId);
        Assert.Equal("P1", opening.Incident.Severity);
        Assert.Equal(3, opening.Incident.FailureCount);
        Assert.Equal(since, opening.Incident.FailingSince);
        Assert.Equal(Now, opening.Incident.OpenedAt);
        Assert.Equal(Incident.DedupKeyFor(NewId), opening.Incident.DedupKey);
        Assert.Equal(new AlertState(TestId, 3, 0, since, NewId, false, 0, opening.Run!.RunId), at.State);
    }

    [Fact]
    public void The_first_failure_starts_the_streak_now_and_a_threshold_of_one_opens_at_once()
    {
        var decision = Decide(Run(RunStatus.Failed, threshold: 1), State());
        Assert.Equal(Now, Assert.IsType<IncidentOpening>(Assert.Single(decision.Steps)).Incident.FailingSince);
        Assert.Equal(Now, decision.State!.FailingSince);
        Assert.Equal(1, decision.State.ConsecutiveFailures);
    }

    [Fact]
    public void A_failure_of_an_open_incident_is_counted_on_it_and_opens_no_second_one()
    {
        var decision = Decide(Run(RunStatus.Failed, threshold: 1), State(failures: 5, since: Now.AddHours(-1), open: OpenId));
        var failure = Assert.IsType<IncidentFailure>(Assert.Single(decision.Steps));
        Assert.Equal(OpenId, failure.IncidentId);
        Assert.Equal(OpenId, decision.State!.OpenIncidentId);
        Assert.Equal(6, decision.State.ConsecutiveFailures);
    }

    [Fact]
    public void A_pass_breaks_the_streak_and_resolves_the_open_incident_after_one_pass_by_default()
    {
        var decision = Decide(Run(RunStatus.Passed), State(failures: 4, since: Now.AddHours(-1), open: OpenId));
        var resolution = Assert.IsType<IncidentResolution>(Assert.Single(decision.Steps));
        Assert.Equal(OpenId, resolution.IncidentId);
        Assert.Equal(new AlertState(TestId, 0, 1, null, null, false, 0, resolution.Run.RunId), decision.State);
    }

    [Fact]
    public void A_pass_without_an_incident_only_counts_passes()
    {
        var decision = Decide(Run(RunStatus.Passed), State(failures: 2, since: Now.AddHours(-1), passes: 0));
        Assert.Empty(decision.Steps);
        Assert.Equal(0, decision.State!.ConsecutiveFailures);
        Assert.Equal(1, decision.State.ConsecutivePasses);
        Assert.Null(decision.State.FailingSince);
    }

    [Fact]
    public void The_severity_s_resolveAfterPasses_holds_the_incident_open_until_that_many_passes()
    {
        var policy = Policy with { ResolveAfterPasses = 2 };
        var since = Now.AddHours(-1);
        var first = Decide(Run(RunStatus.Passed), State(failures: 3, since: since, open: OpenId), policy: policy);
        Assert.Empty(first.Steps);
        Assert.Equal(OpenId, first.State!.OpenIncidentId);
        Assert.Equal(since, first.State.FailingSince);

        var second = Decide(Run(RunStatus.Passed), first.State, policy: policy);
        Assert.IsType<IncidentResolution>(Assert.Single(second.Steps));
        Assert.Null(second.State!.OpenIncidentId);
    }

    [Fact]
    public void A_test_s_own_resolveAfterPasses_wins_over_its_severity_s()
    {
        var open = State(failures: 3, since: Now.AddHours(-1), open: OpenId);
        Assert.Empty(Decide(Run(RunStatus.Passed, resolveAfterPasses: 3), open with { ConsecutivePasses = 1 }).Steps);
        Assert.IsType<IncidentResolution>(Assert.Single(Decide(Run(RunStatus.Passed, resolveAfterPasses: 3), open with { ConsecutivePasses = 2 }).Steps));
        Assert.IsType<IncidentResolution>(Assert.Single(
            Decide(Run(RunStatus.Passed, resolveAfterPasses: 1), open, policy: Policy with { ResolveAfterPasses = 5 }).Steps));
    }

    [Fact]
    public void An_infra_error_neither_counts_nor_breaks_a_streak_and_pages_no_owner()
    {
        var decision = Decide(Run(RunStatus.InfraError), State(failures: 2, since: Now.AddHours(-1)), infra: new InfraErrors(1, "docker down"));
        Assert.Null(decision.State);
        Assert.Empty(decision.Steps);

        // The streak goes on from where it was: the next failure is the third.
        var next = Decide(Run(RunStatus.Failed, threshold: 3), State(failures: 2, since: Now.AddHours(-1)));
        Assert.IsType<IncidentOpening>(Assert.Single(next.Steps));
    }

    [Theory]
    [InlineData(RunStatus.Cancelled)]
    [InlineData(RunStatus.Skipped)]
    public void Cancelled_and_skipped_runs_are_ignored(RunStatus status)
    {
        var decision = Decide(Run(status), State(failures: 2, since: Now), openOperator: Operator());
        Assert.Same(CompletionDecision.Nothing, decision);
    }

    [Fact]
    public void Flips_in_the_window_mark_a_test_flaky_once_and_older_flips_do_not_count()
    {
        CountedResult[] flapping = [P(), F(), P(), F(), P(), P(), P(), P(), P(), P(), F(), P(), F()];
        var decision = Decide(Run(RunStatus.Passed), State(), recent: flapping);
        Assert.True(decision.State!.Flaky);
        Assert.True(decision.BecameFlaky);
        Assert.Equal(4, decision.State.Flips);
        Assert.Empty(decision.Steps);

        Assert.False(Decide(Run(RunStatus.Passed), State() with { Flaky = true }, recent: flapping).BecameFlaky);

        var narrow = Decide(Run(RunStatus.Passed), State(), recent: flapping, policy: Policy with { Flaky = new FlakyRule(Window: 3, MinFlips: 3) });
        Assert.False(narrow.State!.Flaky);
        Assert.Equal(2, narrow.State.Flips);

        var few = Decide(Run(RunStatus.Passed), State(), recent: [P(), F(), P(), P()]);
        Assert.False(few.State!.Flaky);
        Assert.Equal(2, few.State.Flips);
    }

    [Fact]
    public void A_pass_on_retry_right_after_a_failure_marks_the_test_flaky()
    {
        var decision = Decide(Run(RunStatus.Passed), State(), recent: [P(RunTrigger.Retry), F()]);
        Assert.True(decision.State!.Flaky);
        Assert.Equal(1, decision.State.Flips);

        Assert.False(Decide(Run(RunStatus.Passed), State(), recent: [P(RunTrigger.Retry), P()]).State!.Flaky);
    }

    [Fact]
    public void A_run_that_passed_on_a_retry_inside_it_ends_the_streak_resolves_and_never_opens_an_incident()
    {
        // docs/cases.md, "Passed on a retry": a pass like any other, and flaky by the one rule.
        CountedResult[] recent = [new(false, RunTrigger.Schedule, PassedOnRetry: true), F(), F()];
        var below = Decide(Run(RunStatus.Passed, threshold: 3), State(failures: 2, since: Now.AddMinutes(-10)), recent: recent);
        Assert.Empty(below.Steps);
        Assert.Equal((0, 1, null, true, true), (below.State!.ConsecutiveFailures, below.State.ConsecutivePasses, below.State.FailingSince, below.State.Flaky, below.BecameFlaky));

        var open = Decide(Run(RunStatus.Passed, threshold: 3), State(failures: 4, since: Now.AddMinutes(-10), open: OpenId), recent: recent);
        Assert.Equal(OpenId, Assert.IsType<IncidentResolution>(Assert.Single(open.Steps)).IncidentId);
        Assert.Null(open.State!.OpenIncidentId);

        // With resolveAfterPasses 2 it only counts towards resolving: the incident stays open, nothing new opens.
        var counting = Decide(Run(RunStatus.Passed, threshold: 1, resolveAfterPasses: 2), State(failures: 4, open: OpenId), recent: recent);
        Assert.Empty(counting.Steps);
        Assert.Equal((OpenId, 1), (counting.State!.OpenIncidentId, counting.State.ConsecutivePasses));
    }

    [Fact]
    public void A_run_whose_every_try_failed_is_one_failure_towards_the_threshold()
    {
        // The runner records one run with its last try's status however many tries failed (docs/cases.md, "All tries
        // failed"): one completion, one step of the streak, so two such runs stay below a threshold of 3.
        var first = Decide(Run(RunStatus.Failed, threshold: 3), State(), recent: [F()]);
        Assert.Equal(1, first.State!.ConsecutiveFailures);
        var second = Decide(Run(RunStatus.TimedOut, threshold: 3), first.State, recent: [F(), F()]);
        Assert.Empty(second.Steps);
        Assert.Equal((2, false), (second.State!.ConsecutiveFailures, second.State.Flaky));
        var third = Decide(Run(RunStatus.Failed, threshold: 3), second.State, recent: [F(), F(), F()]);
        Assert.Equal(3, Assert.IsType<IncidentOpening>(Assert.Single(third.Steps)).Incident.FailureCount);
    }

    [Fact]
    public void A_flapping_test_below_its_threshold_opens_nothing()
    {
        var decision = Decide(Run(RunStatus.Failed, threshold: 3), State(), recent: [F(), P(), F(), P(), F()]);
        Assert.True(decision.State!.Flaky);
        Assert.Empty(decision.Steps);
    }

    [Fact]
    public void A_burst_of_infra_errors_opens_one_operator_incident_with_the_latest_error()
    {
        Assert.Empty(Decide(Run(RunStatus.InfraError), infra: new InfraErrors(2, "docker down")).Steps);

        var run = Run(RunStatus.InfraError);
        var opening = Assert.IsType<IncidentOpening>(Assert.Single(Decide(run, infra: new InfraErrors(3, "docker down")).Steps));
        Assert.Equal(Incident.OperatorKind, opening.Incident.Kind);
        Assert.Null(opening.Incident.TestId);
        Assert.Equal("P1", opening.Incident.Severity);
        Assert.Equal(3, opening.Incident.FailureCount);
        Assert.Equal(run.RunId, opening.Incident.LastRunId);
        Assert.Equal("docker down", opening.Detail);

        Assert.Empty(Decide(run, infra: new InfraErrors(7, "docker down"), openOperator: Operator()).Steps);
    }

    [Fact]
    public void Runs_the_lease_sweep_closed_count_towards_the_burst_without_a_run()
    {
        var facts = new CompletionFacts(null, null, new InfraErrors(3, "2 run(s) closed"), null, Policy, Now, NewId);
        var opening = Assert.IsType<IncidentOpening>(Assert.Single(CompletionRules.Decide(facts).Steps));
        Assert.Null(opening.Run);
        Assert.Null(opening.Incident.LastRunId);
        Assert.Equal("2 run(s) closed", opening.Detail);
    }

    [Theory]
    [InlineData(RunStatus.Passed)]
    [InlineData(RunStatus.Failed)]
    public void A_run_that_ends_on_its_own_merits_resolves_the_operator_incident_without_its_error(RunStatus status)
    {
        var decision = Decide(Run(status, threshold: 10, error: "assertion failed"), State(), openOperator: Operator());
        var resolution = Assert.IsType<IncidentResolution>(Assert.Single(decision.Steps));
        Assert.Equal(OpenId, resolution.IncidentId);
        Assert.Null(resolution.Run.Error);
        Assert.NotNull(decision.State);
    }

    [Fact]
    public void An_infra_error_does_not_resolve_the_operator_incident()
    {
        Assert.Empty(Decide(Run(RunStatus.InfraError), infra: new InfraErrors(9, "still down"), openOperator: Operator()).Steps);
    }

    [Fact]
    public void A_failure_that_opens_an_incident_and_ends_an_operator_burst_does_both_in_order()
    {
        var decision = Decide(Run(RunStatus.Failed, threshold: 1), State(), openOperator: Operator());
        Assert.Collection(decision.Steps,
            s => Assert.Equal(NewId, Assert.IsType<IncidentOpening>(s).Incident.Id),
            s => Assert.Equal(OpenId, Assert.IsType<IncidentResolution>(s).IncidentId));
    }

    private static CompletionDecision Decide(
        AlertRun run, AlertState? state = null, IReadOnlyList<CountedResult>? recent = null, InfraErrors? infra = null,
        Incident? openOperator = null, AlertPolicy? policy = null)
    {
        var history = run.IsCounted ? new TestHistory(state ?? State(), recent ?? [new CountedResult(run.IsFailure, run.Trigger)]) : null;
        return CompletionRules.Decide(new CompletionFacts(run, history, infra, openOperator, policy ?? Policy, Now, NewId));
    }

    private static AlertRun Run(RunStatus status, int threshold = 3, int? resolveAfterPasses = null, string? error = null) =>
        new(Guid.NewGuid(), TestId, status, RunTrigger.Schedule, null, error, null, 0, "checkout", Severity.P1, threshold, null, resolveAfterPasses);

    private static AlertState State(int failures = 0, int passes = 0, DateTimeOffset? since = null, Guid? open = null) =>
        AlertState.Initial(TestId) with { ConsecutiveFailures = failures, ConsecutivePasses = passes, FailingSince = since, OpenIncidentId = open };

    private static Incident Operator() =>
        new(OpenId, Incident.OperatorKind, null, "P1", Incident.DedupKeyFor(OpenId), Now.AddMinutes(-5), Now.AddMinutes(-5), null, 3, null, 0, null);

    private static CountedResult F(string trigger = RunTrigger.Schedule) => new(true, trigger);

    private static CountedResult P(string trigger = RunTrigger.Schedule) => new(false, trigger);
}
