using Byot.Shared.Cases;

namespace Byot.Shared.Domain;

/// <summary>How a case fared over a window of runs (newest first): the share of runs it passed, and its flip rate,
/// status changes between consecutive runs divided by runs. Skipped runs of the case are left out of both.</summary>
public sealed record CaseScore(int Runs, double PassRate, double FlipRate, int Flips, bool PassedOnRetry, bool Broken)
{
    public static CaseScore Of(IReadOnlyList<string> statusesNewestFirst, IReadOnlyList<bool> passedOnRetry)
    {
        var failed = new List<bool>();
        var retried = false;
        for (var i = 0; i < statusesNewestFirst.Count; i++)
        {
            if (statusesNewestFirst[i] == CaseStatusNames.Of(CaseStatus.Skipped))
            {
                continue;
            }

            failed.Add(statusesNewestFirst[i] != CaseStatusNames.Of(CaseStatus.Passed));
            retried |= i < passedOnRetry.Count && passedOnRetry[i];
        }

        if (failed.Count == 0)
        {
            return new CaseScore(0, 0, 0, 0, false, false);
        }

        var flips = failed.Zip(failed.Skip(1)).Count(p => p.First != p.Second);
        var passes = failed.Count(f => !f);
        return new CaseScore(failed.Count, Math.Round((double)passes / failed.Count, 4), Math.Round((double)flips / failed.Count, 4), flips, retried,
            Broken: passes == 0);
    }
}
