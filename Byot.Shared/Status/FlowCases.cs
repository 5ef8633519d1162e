namespace Byot.Shared.Status;

/// <summary>A flow's latest run's cases: "38 of 40 passing" (skipped cases are neither).</summary>
public sealed record FlowCases(int Passed, int Failed, int Errored, int Skipped)
{
    public int Judged => Passed + Failed + Errored;
}
