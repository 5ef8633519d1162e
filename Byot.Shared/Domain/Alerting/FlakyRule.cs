namespace Byot.Shared.Domain.Alerting;

/// <summary>The one definition of flaky, used by the completion decision (alerts), the status page, the stats and the
/// cases API alike. Over the newest <see cref="Window"/> results: flaky when there are at least
/// <see cref="MinFlips"/> pass/fail flips and the flip rate (flips divided by results) is at least
/// <see cref="MinFlipRate"/>, or a pass right after a failure within one run (a retry); healthy again once the newest
/// <see cref="HealAfterPasses"/>
/// results are plain passes. Both thresholds must be met: <see cref="MinFlips"/> is the least evidence, so two
/// results that differ (a rate of 0.5) are not flaky on their own; a rate at or below MinFlips/Window never binds
/// (flips ≥ MinFlips over at most Window results is already that rate), so 0 keeps the count alone. A result failing every time is broken, not flaky. The state is a function of the window,
/// so it needs no stored state and a new artifact version (a new window) starts afresh.</summary>
public sealed record FlakyRule(int Window, int MinFlips, int HealAfterPasses = FlakyRule.DefaultHealAfterPasses, double MinFlipRate = 0)
{
    public const int DefaultHealAfterPasses = 3;

    /// <summary>Slack for the rate comparison, so 3 of 10 meets 0.3 whatever the rounding of either side.</summary>
    private const double RateTolerance = 1e-9;

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
    /// flaky on <see cref="MinFlips"/> flips at a flip rate of at least <see cref="MinFlipRate"/>, or a pass on retry → healthy after <see cref="HealAfterPasses"/>
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
        var rate = results.Count == 0 ? 0 : (double)flips / results.Count;
        var flapping = flips >= MinFlips && rate >= MinFlipRate - RateTolerance;
        return new FlakyVerdict(flips, passedOnRetry, !broken && !healed && (flapping || passedOnRetry))
        {
            Broken = broken,
            Healed = healed,
            FlipRate = Math.Round(rate, 4),
        };
    }

    /// <summary>Pass/fail flips among recent results (newest first), and whether a retry passed right after a failure.</summary>
    public static (int Flips, bool PassedOnRetry) Count(IReadOnlyList<CountedResult> recent)
    {
        var verdict = new FlakyRule(int.MaxValue, int.MaxValue).Judge(recent);
        return (verdict.Flips, verdict.PassedOnRetry);
    }
}
