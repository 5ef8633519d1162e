namespace Byot.Shared.Domain.Alerting;

/// <summary>One of a test's locations as the k-of-N rule sees it: its latest counted runs there, newest first
/// (true = failed; a run judged quarantined-only earlier counts as passed), as many as the rule needs to look at, and,
/// parallel to them when known, their run ids, so the decision can judge the run it is deciding by the same rule
/// as the test's own streak.</summary>
public sealed record LocationStreak(string Location, IReadOnlyList<bool> RecentFailed, IReadOnlyList<Guid>? RunIds = null)
{
    /// <summary>This streak with the run <paramref name="runId"/> (if among its runs) judged <paramref name="failed"/>.</summary>
    public LocationStreak Judging(Guid runId, bool failed)
    {
        var at = RunIds?.TakeWhile(id => id != runId).Count() ?? RecentFailed.Count;
        return at < RecentFailed.Count && at < (RunIds?.Count ?? 0)
            ? this with { RecentFailed = [.. RecentFailed.Select((f, j) => j == at ? failed : f)] }
            : this;
    }
}
