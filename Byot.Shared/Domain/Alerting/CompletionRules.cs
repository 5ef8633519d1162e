namespace Byot.Shared.Domain.Alerting;

/// <summary>What a recorded result means, as a function of its facts: no I/O, no clock, no randomness. The rules of
/// docs/alerting.md, each written once here:
/// <list type="bullet">
/// <item>only failed, timed_out and oom count against a test; infra_error neither counts nor breaks a streak;
/// cancelled and skipped are ignored;</item>
/// <item>an incident opens after <c>failure_threshold</c> consecutive failures (at most one open per test) and resolves
/// after <c>resolveAfterPasses</c> consecutive passes (the test's own value, else its severity's);</item>
/// <item>a test that runs from several locations opens and resolves by <see cref="LocationRule"/> (k of N) instead;</item>
/// <item>flaky is <see cref="FlakyRule"/>;</item>
/// <item>a test that would open an incident while one of its dependencies has an open incident joins that incident
/// instead (<see cref="IncidentJoin"/>, paging nobody); once that incident is resolved, its next failure opens its
/// own; a pass notes its recovery on the incident it joined;</item>
/// <item>a failed run whose only failures are quarantined cases counts as a pass: it neither opens nor keeps an
/// incident failing (a run that failed with no failing case, or with one not quarantined, counts as before), for
/// the test's own streak and its location's alike (k of N);</item>
/// <item>a burst of infra_error runs opens one operator incident (at most one open), and the next result on its own
/// merits resolves it.</item>
/// </list></summary>
public static class CompletionRules
{
    public static CompletionDecision Decide(CompletionFacts facts)
    {
        if (facts.Run is null || facts.Run.Status == RunStatus.InfraError)
        {
            return new CompletionDecision(null, OperatorOpening(facts), false);
        }

        if (!facts.Run.IsCounted || facts.Test is not { } history)
        {
            return CompletionDecision.Nothing;
        }

        // A timeout or OOM is a failure of its own, beyond any case's: only a plain failed run can be excused.
        var quarantinedOnly = facts.Run.Status == RunStatus.Failed && facts.Cases is { OnlyQuarantinedFailures: true };
        var failing = facts.Run.IsFailure && !quarantinedOnly;
        // The run's own entry in its location's streak is judged here, by the same verdict (earlier runs were judged
        // when they were decided: quarantined_only).
        var judged = facts.Locations is { } locations
            ? facts with { Locations = locations with { Streaks = [.. locations.Streaks.Select(l => l.Judging(facts.Run.RunId, failing))] } }
            : facts;
        var (state, steps, becameFlaky) = Counted(judged, facts.Run, history, failing);
        if (facts.OpenOperatorIncident is { } operatorIncident)
        {
            // The run ended on its own merits, so the infrastructure works again; its own error has no place in
            // the operator's recovery notice.
            steps.Add(new IncidentResolution(operatorIncident.Id, facts.Run with { Error = null }));
        }

        return new CompletionDecision(state, steps, becameFlaky, quarantinedOnly, AlertCases.Of(facts.Cases, facts.Policy.Flaky));
    }

    private static (AlertState State, List<IncidentStep> Steps, bool BecameFlaky) Counted(CompletionFacts facts, AlertRun run, TestHistory history, bool failing)
    {
        var before = history.State;
        var verdict = facts.Policy.Flaky.Judge(history.Recent);
        var steps = new List<IncidentStep>();
        var open = before.OpenIncidentId;
        var joined = open is null ? before.JoinedIncidentId : null;
        var dependencies = facts.DependencyIncidents ?? [];
        int failures, passes;
        DateTimeOffset? since;
        if (failing)
        {
            failures = before.ConsecutiveFailures + 1;
            passes = 0;
            since = before.FailingSince ?? facts.Now;
            if (open is { } openId)
            {
                steps.Add(new IncidentFailure(openId, run.RunId));
            }
            else if (joined is { } joinedId && dependencies.Any(d => d.IncidentId == joinedId))
            {
                // Still failing while its dependency is down: already listed on that incident.
            }
            else if (Opens(facts, run, failures, out var where))
            {
                joined = null;
                if (dependencies.Count > 0)
                {
                    // Its dependency is down: one page (the dependency's), which lists this test.
                    steps.Add(new IncidentJoin(dependencies[0], run));
                    joined = dependencies[0].IncidentId;
                }
                else
                {
                    var id = facts.NewIncidentId;
                    steps.Add(new IncidentOpening(
                        new Incident(id, Incident.TestKind, run.TestId, run.Severity.ToString(), Incident.DedupKeyFor(id), since.Value, facts.Now,
                            run.RunId, failures, null, 0, null),
                        run, where));
                    open = id;
                }
            }
            else
            {
                // Below its threshold, or the incident it joined is over: nothing to be listed on.
                joined = null;
            }
        }

        else
        {
            failures = 0;
            passes = before.ConsecutivePasses + 1;
            since = open is null ? null : before.FailingSince;
            if (open is { } openId && Resolves(facts, run, passes))
            {
                steps.Add(new IncidentResolution(openId, run));
                open = null;
                since = null;
            }

            if (joined is { } joinedId)
            {
                steps.Add(new DependentRecovery(joinedId, run));
                joined = null;
            }
        }

        var state = new AlertState(run.TestId, failures, passes, since, open, verdict.Flaky, verdict.Flips, run.RunId, joined);
        return (state, steps, verdict.Flaky && !before.Flaky);
    }

    /// <summary>One location: the test's own streak reaches its threshold. Several: k of them are down; the page says which.</summary>
    private static bool Opens(CompletionFacts facts, AlertRun run, int failures, out string? where)
    {
        where = null;
        if (facts.Locations is not { Streaks.Count: > 1 } locations)
        {
            return failures >= run.FailureThreshold;
        }

        var down = LocationRule.Down(locations, run.FailureThreshold, ResolveAfter(facts, run));
        if (down.Count < LocationRule.Required(locations))
        {
            return false;
        }

        where = LocationRule.Describe(down, locations.Streaks.Count);
        return true;
    }

    private static bool Resolves(CompletionFacts facts, AlertRun run, int passes) =>
        facts.Locations is { Streaks.Count: > 1 } locations
            ? LocationRule.Down(locations, run.FailureThreshold, ResolveAfter(facts, run)).Count < LocationRule.Required(locations)
            : passes >= ResolveAfter(facts, run);

    private static int ResolveAfter(CompletionFacts facts, AlertRun run) => run.ResolveAfterPasses ?? facts.Policy.ResolveAfterPasses;

    /// <summary>infra_error is never the test's fault: its owners hear nothing and its streaks stay as they were.
    /// A burst opens one operator incident, whatever number of tests and runners are involved.</summary>
    private static List<IncidentStep> OperatorOpening(CompletionFacts facts)
    {
        if (facts.Infra is not { } infra || infra.InWindow < facts.Policy.InfraErrorBurst || facts.OpenOperatorIncident is not null)
        {
            return [];
        }

        var id = facts.NewIncidentId;
        var incident = new Incident(id, Incident.OperatorKind, null, "P1", Incident.DedupKeyFor(id), facts.Now, facts.Now,
            facts.Run?.RunId, (int)infra.InWindow, null, 0, null);
        return [new IncidentOpening(incident, facts.Run, infra.LatestError)];
    }
}
