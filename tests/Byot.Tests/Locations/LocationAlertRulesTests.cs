using Byot.Shared.Domain;
using Byot.Shared.Domain.Alerting;
using Xunit;

namespace Byot.Tests.Locations;

/// <summary>k of N in the pure completion decision, in memory with a fixed clock: per-location thresholds first,
/// then k locations down to open, fewer than k down to resolve, and the page naming where it fails.</summary>
public sealed class LocationAlertRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid TestId = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid NewId = Guid.Parse("22222222-2222-2222-2222-222222222222");
    private static readonly Guid OpenId = Guid.Parse("33333333-3333-3333-3333-333333333333");
    private static readonly AlertPolicy Policy = new(ResolveAfterPasses: 2, new FlakyRule(Window: 10, MinFlips: 30), InfraErrorBurst: 3);

    [Fact]
    public void One_location_failing_past_its_threshold_opens_with_k_of_one_and_the_page_says_from_where()
    {
        var decision = Decide(RunStatus.Failed, required: 1, open: null, ("checkout-eu", [true, true, true]), ("us-east", [false, false]), ("default", [false]));
        var opening = Assert.IsType<IncidentOpening>(Assert.Single(decision.Steps));
        Assert.Equal(NewId, opening.Incident.Id);
        Assert.Equal("failing from checkout-eu only (1 of 3 locations)", opening.Detail);
    }

    [Fact]
    public void Interleaved_failures_from_several_locations_do_not_add_up_before_one_location_reaches_its_threshold()
    {
        // Five failures in a row for the test as a whole, but no location has three of its own.
        var decision = Decide(RunStatus.Failed, required: 1, open: null, ("eu-west", [true, true, false]), ("us-east", [true, true]), ("default", [true, false]));
        Assert.Empty(decision.Steps);
        Assert.Equal(5, decision.State!.ConsecutiveFailures);
    }

    [Fact]
    public void With_k_of_two_one_region_down_pages_nobody_and_the_second_opens_the_incident()
    {
        var one = Decide(RunStatus.Failed, required: 2, open: null, ("eu-west", [true, true, true]), ("us-east", [false]), ("default", [true]));
        Assert.Empty(one.Steps);

        var two = Decide(RunStatus.Failed, required: 2, open: null, ("eu-west", [true, true, true, true]), ("us-east", [true, true, true]), ("default", [false]));
        Assert.Equal("failing from eu-west, us-east only (2 of 3 locations)", Assert.IsType<IncidentOpening>(Assert.Single(two.Steps)).Detail);

        var all = Decide(RunStatus.Failed, required: 2, open: null, ("eu-west", [true, true, true]), ("us-east", [true, true, true]));
        Assert.Equal("failing from every location (eu-west, us-east)", Assert.IsType<IncidentOpening>(Assert.Single(all.Steps)).Detail);
    }

    [Fact]
    public void A_k_larger_than_the_locations_means_all_of_them()
    {
        var decision = Decide(RunStatus.Failed, required: 5, open: null, ("eu-west", [true, true, true]), ("us-east", [true, true, true]));
        Assert.IsType<IncidentOpening>(Assert.Single(decision.Steps));
    }

    [Fact]
    public void Recovery_needs_fewer_than_k_locations_down_each_back_after_its_own_passes()
    {
        // eu-west passed once of the two it needs: still down, the incident stays open.
        var once = Decide(RunStatus.Passed, required: 1, open: OpenId, ("eu-west", [false, true, true, true]), ("us-east", [false, false]));
        Assert.Empty(once.Steps);
        Assert.Equal(OpenId, once.State!.OpenIncidentId);

        var twice = Decide(RunStatus.Passed, required: 1, open: OpenId, ("eu-west", [false, false, true, true, true]), ("us-east", [false, false]));
        Assert.Equal(OpenId, Assert.IsType<IncidentResolution>(Assert.Single(twice.Steps)).IncidentId);
        Assert.Null(twice.State!.OpenIncidentId);

        // k of two: one region back is enough, as fewer than two are down now.
        var partial = Decide(RunStatus.Passed, required: 2, open: OpenId, ("eu-west", [false, false, true, true, true]), ("us-east", [true, true, true]));
        Assert.IsType<IncidentResolution>(Assert.Single(partial.Steps));
    }

    [Fact]
    public void A_test_with_one_location_keeps_the_single_streak_rule()
    {
        var decision = CompletionRules.Decide(Facts(RunStatus.Failed, open: null, failures: 2, locations: null));
        Assert.IsType<IncidentOpening>(Assert.Single(decision.Steps));
        Assert.Null(((IncidentOpening)decision.Steps[0]).Detail);
    }

    [Theory]
    [InlineData(new[] { true, true, true }, true)]
    [InlineData(new[] { false, true, true, true }, true)]
    [InlineData(new[] { false, false, true, true, true }, false)]
    [InlineData(new[] { true, true }, false)]
    [InlineData(new[] { true, false, true, true }, false)]
    [InlineData(new bool[0], false)]
    public void A_location_is_down_from_its_threshold_until_its_passes(bool[] recentFailed, bool down) =>
        Assert.Equal(down, LocationRule.IsDown(new LocationStreak("eu-west", recentFailed), failureThreshold: 3, resolveAfterPasses: 2));

    [Fact]
    public void A_run_failing_only_in_quarantined_cases_counts_as_a_pass_at_its_location_too()
    {
        var run = Guid.NewGuid();
        // eu-west's newest run is this one: failed, but only in quarantined cases. Its two failures before it are
        // below the threshold of 3, so judged as a pass it opens nothing (judged as a failure it would).
        var history = new LocationHistory(1, [new LocationStreak("eu-west", [true, true, true], [run, Guid.NewGuid(), Guid.NewGuid()]), new LocationStreak("us-east", [false])]);
        var quarantined = new RunCaseFacts(10, 1, 1, Now, []);
        var facts = Facts(RunStatus.Failed, null, failures: 2, history) is var f ? f with { Run = f.Run! with { RunId = run }, Cases = quarantined } : null!;
        var excused = CompletionRules.Decide(facts);
        Assert.True(excused.QuarantinedOnly);
        Assert.Empty(excused.Steps);

        var notQuarantined = CompletionRules.Decide(facts with { Cases = quarantined with { QuarantinedFailing = 0 } });
        Assert.Equal("failing from eu-west only (1 of 2 locations)", Assert.IsType<IncidentOpening>(Assert.Single(notQuarantined.Steps)).Detail);

        // With an incident open, the quarantined-only run is eu-west's pass: its three failures in a row (this run
        // read as failed) would keep eu-west down; judged a pass, eu-west is no longer down and the incident resolves,
        // as it would by the test's own streak.
        var recovering = new LocationHistory(1, [new LocationStreak("eu-west", [true, true, true, false], [run, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()]), new LocationStreak("us-east", [false])]);
        var resolved = CompletionRules.Decide(facts with { Locations = recovering, Test = facts.Test! with { State = facts.Test.State with { OpenIncidentId = OpenId } } });
        Assert.Equal(OpenId, Assert.IsType<IncidentResolution>(Assert.Single(resolved.Steps)).IncidentId);
    }

    private static CompletionDecision Decide(RunStatus status, int required, Guid? open, params (string Location, bool[] Recent)[] locations) =>
        CompletionRules.Decide(Facts(status, open, failures: 4, new LocationHistory(required, [.. locations.Select(l => new LocationStreak(l.Location, l.Recent))])));

    private static CompletionFacts Facts(RunStatus status, Guid? open, int failures, LocationHistory? locations)
    {
        var run = new AlertRun(Guid.NewGuid(), TestId, status, "schedule", status == RunStatus.Passed ? 0 : 1, null, null, 0, "checkout",
            Severity.P1, FailureThreshold: 3, ReminderMinutes: null, ResolveAfterPasses: null);
        var state = new AlertState(TestId, status == RunStatus.Passed ? 0 : failures, 0, Now.AddMinutes(-5), open, false, 0, null);
        return new CompletionFacts(run, new TestHistory(state, []), null, null, Policy, Now, NewId, locations);
    }
}
