namespace Byot.Shared.Cases;

/// <summary>Collects a run's cases from every parser within <see cref="CaseLimits"/>: names are cleaned once here,
/// a name seen twice in one run gets a <c>#2</c> suffix (both are kept), past the cap cases are counted but not kept,
/// and what a parser could not read is a warning, never a change to the run's outcome.</summary>
public sealed class CaseSink(CaseLimits limits)
{
    private readonly List<CaseResult> cases = [];
    private readonly Dictionary<string, int> seen = new(StringComparer.Ordinal);
    private readonly List<string> warnings = [];

    public IReadOnlyList<CaseResult> Cases => cases;

    public IReadOnlyList<string> Warnings => warnings;

    public CaseLimits Limits => limits;

    /// <summary>Cases reported past <see cref="CaseLimits.MaxCases"/>, counted and dropped.</summary>
    public int Dropped { get; private set; }

    public bool Truncated => Dropped > 0;

    public void Add(string suite, string name, CaseStatus status, long? durationMs = null, string? message = null, string? output = null, bool flaky = false, int retries = 0)
    {
        if (cases.Count >= limits.MaxCases)
        {
            Dropped++;
            return;
        }

        var cleanSuite = CaseKeys.Clean(suite, limits.MaxNameChars);
        var cleanName = CaseKeys.Clean(name, limits.MaxNameChars);
        if (cleanName.Length == 0)
        {
            cleanName = "(unnamed)";
        }

        var key = CaseKeys.For(cleanSuite, cleanName);
        var count = seen[key] = seen.GetValueOrDefault(key) + 1;
        if (count > 1)
        {
            key += " #" + count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        cases.Add(new CaseResult(key, cleanSuite, cleanName, status, durationMs, Clip(message, limits.MaxMessageChars), Clip(output, limits.MaxMessageChars), flaky, retries));
    }

    public void Warn(string warning)
    {
        if (warnings.Count < 20)
        {
            warnings.Add(warning.Length <= 500 ? warning : warning[..500] + "…");
        }
    }

    private static string? Clip(string? text, int max) =>
        text is null ? null : text.Length <= max ? text : text[..max] + "…";
}
