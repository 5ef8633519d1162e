using Byot.Shared.Alerts;
using Byot.Shared.Cases;
using Byot.Shared.Domain;
using Byot.Shared.Domain.Alerting;
using Xunit;

namespace Byot.Tests.CaseRuns;

/// <summary>In memory: the flaky state machine (healthy → flaky → healthy after K passes, broken is not flaky), the
/// quarantine rule inside the completion decision, and how an alert names the failing cases.</summary>
public sealed class QuarantineRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 4, 0, TimeSpan.Zero);
    private static readonly Guid TestId = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid NewId = Guid.Parse("22222222-2222-2222-2222-222222222222");
    private static readonly Guid OpenId = Guid.Parse("33333333-3333-3333-3333-333333333333");
    private static readonly FlakyRule Rule = new(Window: 10, MinFlips: 3, HealAfterPasses: 3);
    private static readonly AlertPolicy Policy = new(ResolveAfterPasses: 1, Rule, InfraErrorBurst: 3);

    [Fact]
    public void Flaky_is_a_state_machine_over_the_window_healthy_flaky_and_healthy_again_after_K_passes()
    {
        // Newest first.
        Assert.False(Rule.Judge(R("PPPP")).Flaky);
        Assert.True(Rule.Judge(R("PFPF")).Flaky);
        Assert.True(Rule.Judge(R("PPFPF")).Flaky);
        var healed = Rule.Judge(R("PPPFPF"));
        Assert.False(healed.Flaky);
        Assert.True(healed.Healed);
        Assert.Equal(3, healed.Flips);
        Assert.Equal(0.5, healed.FlipRate);
        // Failing again after healing is a flip like any other: flaky again once the flips reach the threshold.
        Assert.True(Rule.Judge(R("FPPPFPF")).Flaky);
        Assert.True(new FlakyRule(10, 3, HealAfterPasses: 4).Judge(R("PPPFPF")).Flaky);
    }

    [Fact]
    public void A_case_failing_every_run_is_broken_not_flaky_and_a_pass_on_retry_is_flaky_until_healed()
    {
        var broken = Rule.Judge(R("FFFFF"));
        Assert.Equal((true, false), (broken.Broken, broken.Flaky));

        Assert.True(Rule.Judge([new FlakyResult(false, true), new FlakyResult(false, false)]).Flaky);
        Assert.False(Rule.Judge([new FlakyResult(false, false), new FlakyResult(false, false), new FlakyResult(false, false), new FlakyResult(false, true)]).Flaky);

        var score = CaseScore.Of(["failed", "failed", "skipped", "absent", "failed"], [false, false, false, false, false], Rule);
        Assert.Equal((3, true, false, 0.0), (score.Runs, score.Broken, score.Flaky, score.PassRate));
        var retried = CaseScore.Of(["passed", "passed"], [true, false], Rule);
        Assert.Equal((true, true, 0.0), (retried.Flaky, retried.PassedOnRetry, retried.FlipRate));
    }

    [Fact]
    public void Only_the_window_counts_so_old_flips_and_a_new_window_start_afresh()
    {
        Assert.Equal(1, new FlakyRule(Window: 3, MinFlips: 2).Judge(R("FFPFPF")).Flips);
        Assert.False(new FlakyRule(Window: 3, MinFlips: 2).Judge(R("FFPFPF")).Flaky);
    }

    [Fact]
    public void A_failed_run_whose_only_failures_are_quarantined_counts_as_a_pass()
    {
        var run = Run(RunStatus.Failed, threshold: 1);
        var quarantinedOnly = Cases(total: 40, (Failing("search › filters", quarantined: true), "F"));
        var decision = Decide(run, State(), quarantinedOnly);
        Assert.True(decision.QuarantinedOnly);
        Assert.Empty(decision.Steps);
        Assert.Equal((0, 1), (decision.State!.ConsecutiveFailures, decision.State.ConsecutivePasses));

        // It neither keeps an open incident failing: it counts towards resolving it.
        var open = Decide(run, State(failures: 3, open: OpenId, since: Now.AddHours(-1)), quarantinedOnly);
        var resolution = Assert.IsType<IncidentResolution>(Assert.Single(open.Steps));
        Assert.Equal(OpenId, resolution.IncidentId);
    }

    [Fact]
    public void A_run_that_failed_without_failing_cases_or_with_one_not_quarantined_counts_as_before()
    {
        var run = Run(RunStatus.Failed, threshold: 1);
        var mixed = Cases(total: 40, (Failing("search › filters", quarantined: true), "F"), (Failing("checkout › pays", quarantined: false), "P"));
        var opened = Decide(run, State(), mixed);
        Assert.False(opened.QuarantinedOnly);
        Assert.IsType<IncidentOpening>(Assert.Single(opened.Steps));

        foreach (var none in new RunCaseFacts?[] { null, new RunCaseFacts(40, 0, 0, Now, []) })
        {
            var decision = Decide(run, State(), none);
            Assert.False(decision.QuarantinedOnly);
            Assert.IsType<IncidentOpening>(Assert.Single(decision.Steps));
        }

        // A timeout or OOM is a failure beyond its cases'.
        var timedOut = Decide(Run(RunStatus.TimedOut, threshold: 1), State(), Cases(total: 2, (Failing("a", quarantined: true), "F")));
        Assert.False(timedOut.QuarantinedOnly);
        Assert.IsType<IncidentOpening>(Assert.Single(timedOut.Steps));

        // A passing run with a quarantined failing case is simply a pass.
        Assert.False(Decide(Run(RunStatus.Passed), State(), Cases(total: 2, (Failing("a", quarantined: true), "F"))).QuarantinedOnly);
    }

    [Fact]
    public void The_alert_names_the_failing_cases_new_flaky_quarantined_and_how_many_more()
    {
        var earlier = Now.AddMinutes(-52);
        var facts = new RunCaseFacts(40, 7, 1, Now, [
            new FailingCase("a", "checkout › pays with saved card", false, [new FlakyResult(false, false)], [earlier]),
            new FailingCase("b", "search › filters", true, [new FlakyResult(true, false), new FlakyResult(false, false), new FlakyResult(true, false), new FlakyResult(false, false)],
                [earlier, earlier.AddMinutes(-10), earlier.AddMinutes(-20), earlier.AddMinutes(-30)]),
        ]);
        var decision = Decide(Run(RunStatus.Failed, threshold: 1), State(), facts);
        var cases = decision.Cases!;
        Assert.Equal((40, 7, 1, 5), (cases.Total, cases.Failed, cases.Quarantined, cases.More));
        Assert.Equal(new AlertCase("checkout › pays with saved card", true, Now, false, false), cases.Named[0]);
        Assert.Equal(new AlertCase("search › filters", false, earlier, true, true), cases.Named[1]);
        Assert.Equal("7 of 40 failed (1 quarantined): `checkout › pays with saved card` (new since 10:04 UTC), `search › filters` (failing since 09:12 UTC, flaky, quarantined) and 5 more",
            AlertRenderer.CasesLine(cases));

        var two = AlertCases.Of(facts with { Failing = 2 }, Rule)!;
        Assert.Equal("2 of 40 failed (1 quarantined): `checkout › pays with saved card` (new since 10:04 UTC) and `search › filters` (failing since 09:12 UTC, flaky, quarantined)",
            AlertRenderer.CasesLine(two));
        Assert.Null(AlertCases.Of(new RunCaseFacts(40, 0, 0, Now, []), Rule));
    }

    [Fact]
    public void The_quarantine_body_needs_a_reason_and_a_future_until_with_its_offset()
    {
        static System.Text.Json.JsonElement Body(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();
        var ok = QuarantineRequestParser.Parse(Body("""{"reason": " known sandbox issue ", "until": "2026-11-24T00:00:00+01:00", "by": "alice"}"""), Now);
        Assert.Equal(new CaseQuarantine("known sandbox issue", new DateTimeOffset(2026, 11, 23, 23, 0, 0, TimeSpan.Zero), "alice", Now), ok);
        Assert.Null(QuarantineRequestParser.Parse(Body("""{"reason": "r"}"""), Now).Until);

        foreach (var (json, field) in new[]
        {
            ("""{"until": "2026-11-24T00:00:00Z"}""", "reason"),
            ("""{"reason": "   "}""", "reason"),
            ("""{"reason": 3}""", "reason"),
            ("""{"reason": "r", "until": "2026-11-23T10:00:00Z"}""", "until"),
            ("""{"reason": "r", "until": "2026-11-24T00:00:00"}""", "until"),
            ("""{"reason": "r", "until": "tomorrow"}""", "until"),
            ("""{"reason": "r", "expires": "2026-11-24T00:00:00Z"}""", "expires"),
        })
        {
            var refused = Assert.Throws<Byot.Shared.Problems.InvalidRequestException>(() => QuarantineRequestParser.Parse(Body(json), Now));
            Assert.Equal(field, refused.Field);
        }

        Assert.Throws<Byot.Shared.Problems.InvalidRequestException>(() => QuarantineRequestParser.Parse(null, Now));
        Assert.Throws<Byot.Shared.Problems.InvalidRequestException>(() => QuarantineRequestParser.Parse(Body("[]"), Now));
    }

    /// <summary>Results newest first from a string of P (pass) and F (fail).</summary>
    private static List<FlakyResult> R(string results) => [.. results.Select(c => new FlakyResult(c == 'F', false))];

    private static FailingCase Failing(string name, bool quarantined) => new(name, name, quarantined, [], []);

    private static RunCaseFacts Cases(int total, params (FailingCase Case, string Earlier)[] failing) =>
        new(total, failing.Length, failing.Count(f => f.Case.Quarantined), Now,
            [.. failing.Select(f => f.Case with { Earlier = R(f.Earlier), EarlierQueuedAt = [.. f.Earlier.Select(_ => Now.AddMinutes(-10))] })]);

    private static CompletionDecision Decide(AlertRun run, AlertState state, RunCaseFacts? cases) =>
        CompletionRules.Decide(new CompletionFacts(run, new TestHistory(state, [new CountedResult(run.IsFailure, run.Trigger)]), null, null, Policy, Now, NewId, Cases: cases));

    private static AlertRun Run(RunStatus status, int threshold = 3) =>
        new(Guid.NewGuid(), TestId, status, RunTrigger.Schedule, 1, null, null, 0, "checkout", Severity.P1, threshold, null, null);

    private static AlertState State(int failures = 0, DateTimeOffset? since = null, Guid? open = null) =>
        AlertState.Initial(TestId) with { ConsecutiveFailures = failures, FailingSince = since, OpenIncidentId = open };
}
