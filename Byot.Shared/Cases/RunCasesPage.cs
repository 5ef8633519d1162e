namespace Byot.Shared.Cases;

/// <summary>A page of one run's cases (every attempt's, in report order), with the run's counts and the warnings of
/// reports that could not be read; <see cref="Next"/> fetches the page after it.</summary>
public sealed record RunCasesPage(
    Guid RunId,
    CaseCounts? Counts,
    bool Truncated,
    int Tries,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<StoredCase> Cases,
    string? Next);
