namespace Byot.Shared.Domain.Alerting;

/// <summary>The one definition of flaky, used by the completion decision (alerts), the status page, the stats and the
/// cases API alike. Over the newest <see cref="Window"/> results: flaky when there are at least
/// <see cref="MinFlips"/> pass/fail flips (the flip rate, flips divided by results, is reported as the score), or a
/// pass right after a failure within one run (a retry); healthy again once the newest <see cref="HealAfterPasses"/>
/// results are plain passes. A result failing every time is broken, not flaky. The state is a function of the window,
/// so it needs no stored state and a new artifact version (a new window) starts afresh.</summary>
public sealed record FlakyRule(int Window, int MinFlips, int HealAfterPasses = FlakyRule.DefaultHealAfterPasses)
{
    public const int DefaultHealAfterPasses = 3;

    /// <summary>Judges the test's most recent counted runs, newest first; only the first <see cref="Window"/> count,
    /// so callers that read more get the same answer. A pass of a <c>retry</c> right after a failure, or a run that
    /// passed on one of its own retries, passed on retry.</summary>
    public FlakyVerdict Judge(IReadOnlyList<CountedResult> recentNewestFirst)
    {
        var window = recentNewestFirst.Take(Window).ToList();
        // A run that passed only after failing inside itself (runs.flaky: on the test's own retries) passed on retry too.
        return Judge([.. window.Select((r, i) => new FlakyResult(r.Failed,
            !r.Failed && (r.PassedOnRetry || r.Trigger == RunTrigger.Retry && i + 1 < window.Count && window[i + 1].Failed)))]);
    }

    /// <summary>The state machine over results, newest first (skipped results left out by the caller): healthy →
    /// flaky on <see cref="MinFlips"/> flips or a pass on retry → healthy after <see cref="HealAfterPasses"/>
    /// consecutive plain passes.</summary>
    public FlakyVerdict Judge(IReadOnlyList<FlakyResult> newestFirst)
    {
        var results = newestFirst.Take(Window).ToList();
        var flips = 0;
        for (var i = 0; i + 1 < results.Count; i++)
        {
            if (results[i].Failed != results[i + 1].Failed)
            {
                flips++;
            }
        }

        var passedOnRetry = results.Any(r => !r.Failed && r.PassedOnRetry);
        var broken = results.Count > 0 && results.All(r => r.Failed);
        var healed = results.Count >= HealAfterPasses && results.Take(HealAfterPasses).All(r => !r.Failed && !r.PassedOnRetry);
        return new FlakyVerdict(flips, passedOnRetry, !broken && !healed && (flips >= MinFlips || passedOnRetry))
        {
            Broken = broken,
            Healed = healed,
            FlipRate = results.Count == 0 ? 0 : Math.Round((double)flips / results.Count, 4),
        };
    }

    /// <summary>Pass/fail flips among recent results (newest first), and whether a retry passed right after a failure.</summary>
    public static (int Flips, bool PassedOnRetry) Count(IReadOnlyList<CountedResult> recent)
    {
        var verdict = new FlakyRule(int.MaxValue, int.MaxValue).Judge(recent);
        return (verdict.Flips, verdict.PassedOnRetry);
    }
}
