namespace Byot.Runner.Worker;

/// <summary>Which of a run's tries this is (from 1, of <see cref="Of"/>: the test's retries plus one) and how many
/// cases it may still keep (the per-run cap counts every try together).</summary>
internal sealed record RunTry(int Number, int Of, int MaxCases)
{
    public static RunTry Only(int maxCases) => new(1, 1, maxCases);

    public bool IsFirst => Number == 1;
}
