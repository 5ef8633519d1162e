using Byot.Shared.Domain;
using Byot.Shared.Domain.Alerting;

namespace Byot.Shared.Cases;

/// <summary>How a case fared over a window of runs (newest first): the share of runs it passed, its flip rate (status
/// changes between consecutive runs divided by runs), and whether it is flaky by the one rule tests use
/// (<see cref="FlakyRule"/>), or passed only after failing within a run. A case failing every run is broken, not
/// flaky. Skipped results are left out.</summary>
public sealed record CaseScore(int Runs, double PassRate, double FlipRate, int Flips, bool PassedOnRetry, bool Broken, bool Flaky)
{
    public static CaseScore Of(IReadOnlyList<string> statusesNewestFirst, IReadOnlyList<bool> passedOnRetry, FlakyRule rule)
    {
        var results = new List<CountedResult>();
        var retried = false;
        for (var i = 0; i < statusesNewestFirst.Count && results.Count < rule.Window; i++)
        {
            if (statusesNewestFirst[i] == CaseStatusNames.Of(CaseStatus.Skipped))
            {
                continue;
            }

            // A case has no trigger of its own: its pass on a retry is passedOnRetry, judged here.
            results.Add(new CountedResult(statusesNewestFirst[i] != CaseStatusNames.Of(CaseStatus.Passed), RunTrigger.Manual));
            retried |= i < passedOnRetry.Count && passedOnRetry[i];
        }

        if (results.Count == 0)
        {
            return new CaseScore(0, 0, 0, 0, false, false, false);
        }

        var verdict = rule.Judge(results);
        var passes = results.Count(r => !r.Failed);
        var broken = passes == 0;
        return new CaseScore(results.Count, Math.Round((double)passes / results.Count, 4), Math.Round((double)verdict.Flips / results.Count, 4),
            verdict.Flips, retried, broken, !broken && (verdict.Flaky || retried));
    }
}
