using Byot.Shared.Domain.Alerting;

namespace Byot.Shared.Cases;

/// <summary>How a case fared over a window of runs (newest first): the share of runs it passed, its flip rate (status
/// changes between consecutive runs divided by runs), and its state by the one rule tests use (<see cref="FlakyRule"/>):
/// flaky, broken (failing every run, not flaky) or healthy. Skipped results, and runs it was not in, are left out.</summary>
public sealed record CaseScore(int Runs, double PassRate, double FlipRate, int Flips, bool PassedOnRetry, bool Broken, bool Flaky)
{
    public const string Absent = "absent";

    public static CaseScore Of(IReadOnlyList<string> statusesNewestFirst, IReadOnlyList<bool> passedOnRetry, FlakyRule rule)
    {
        var results = new List<FlakyResult>();
        for (var i = 0; i < statusesNewestFirst.Count && results.Count < rule.Window; i++)
        {
            var status = statusesNewestFirst[i];
            if (status == CaseStatusNames.Of(CaseStatus.Skipped) || status == Absent)
            {
                continue;
            }

            var passed = status == CaseStatusNames.Of(CaseStatus.Passed);
            results.Add(new FlakyResult(!passed, passed && i < passedOnRetry.Count && passedOnRetry[i]));
        }

        if (results.Count == 0)
        {
            return new CaseScore(0, 0, 0, 0, false, false, false);
        }

        var verdict = rule.Judge(results);
        var passes = results.Count(r => !r.Failed);
        return new CaseScore(results.Count, Math.Round((double)passes / results.Count, 4), verdict.FlipRate,
            verdict.Flips, verdict.PassedOnRetry, verdict.Broken, verdict.Flaky);
    }
}
