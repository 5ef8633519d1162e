namespace Byot.Shared.Cases;

/// <summary>What a run's cases add up to (its last attempt's): "38 of 40 passing" is <see cref="Passed"/> of
/// <see cref="Total"/>.</summary>
public sealed record CaseCounts(int Passed, int Failed, int Skipped, int Errored)
{
    public int Total => Passed + Failed + Skipped + Errored;

    public static CaseCounts Of(IEnumerable<CaseResult> cases)
    {
        int passed = 0, failed = 0, skipped = 0, errored = 0;
        foreach (var c in cases)
        {
            switch (c.Status)
            {
                case CaseStatus.Passed: passed++; break;
                case CaseStatus.Failed: failed++; break;
                case CaseStatus.Skipped: skipped++; break;
                default: errored++; break;
            }
        }

        return new CaseCounts(passed, failed, skipped, errored);
    }
}
