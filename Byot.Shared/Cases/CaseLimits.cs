namespace Byot.Shared.Cases;

/// <summary>What one run's cases may cost: a 100 MB report or a million TAP lines is read through, but only this much
/// is kept, and the run is marked <c>casesTruncated</c> past <see cref="MaxCases"/>.</summary>
public sealed record CaseLimits(int MaxCases = 50_000, int MaxNameChars = 1_000, int MaxMessageChars = 4_000, int MaxOutputLines = 20, int MaxLineChars = 500, long MaxJsonReportBytes = 64L * 1024 * 1024)
{
    public static CaseLimits Default { get; } = new();
}
