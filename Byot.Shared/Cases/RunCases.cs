namespace Byot.Shared.Cases;

/// <summary>Everything a run's reports said about its cases, recorded with its result. The run's counts are its last
/// attempt's; <see cref="Truncated"/> says cases past the cap were counted but not kept; <see cref="Warnings"/> are
/// reports that could not be read, which never change the run's outcome.</summary>
public sealed record RunCases(IReadOnlyList<AttemptCases> Attempts, bool Truncated, IReadOnlyList<string> Warnings)
{
    public static RunCases None { get; } = new([], false, []);

    /// <summary>Null when no attempt reported a case (a plain script): the run then shows no counts at all.</summary>
    public CaseCounts? Counts => Attempts.Count == 0 || Attempts[^1].Cases.Count == 0 && !Truncated ? null : CaseCounts.Of(Attempts[^1].Cases);
}
