using Byot.Shared.Domain.Alerting;

namespace Byot.Shared.Status;

/// <summary>What the status board is judged from, for one test: its settings, its latest finished runs' statuses
/// (newest first), its pass counts over a day and a week, and its latest counted results for the flaky rule, the locations it runs from and those whose latest counted run did
/// not pass.</summary>
public sealed record FlowHistory(
    Guid TestId,
    string Name,
    string Severity,
    bool Enabled,
    int FailureThreshold,
    IReadOnlyList<string> Recent,
    DateTimeOffset? LastFinishedAt,
    long? LastDurationMs,
    long DayPassed,
    long DayJudged,
    long WeekPassed,
    long WeekJudged,
    IReadOnlyList<CountedResult> RecentCounted,
    IReadOnlyList<string> Locations,
    IReadOnlyList<string> FailingLocations)
{
    /// <summary>Parallel to <see cref="Recent"/>: the run failed only in quarantined cases (it counted as a pass).</summary>
    public IReadOnlyList<bool> RecentQuarantinedOnly { get; init; } = [];

    /// <summary>The latest finished run's case counts; null when it reported no cases.</summary>
    public FlowCases? LastCases { get; init; }
}
