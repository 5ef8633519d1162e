namespace Byot.Shared.Domain.Alerting;

/// <summary>The one definition of flaky, used by the completion decision (alerts), the status page and the stats:
/// over the last <see cref="Window"/> counted runs, at least <see cref="MinFlips"/> pass/fail flips, a pass of a
/// retry right after a failure, or a run that passed on one of its own retries.</summary>
public sealed record FlakyRule(int Window, int MinFlips)
{
    /// <summary>Judges the test's most recent counted runs, newest first; only the first <see cref="Window"/> count,
    /// so callers that read more get the same answer.</summary>
    public FlakyVerdict Judge(IReadOnlyList<CountedResult> recentNewestFirst)
    {
        var (flips, passedOnRetry) = Count([.. recentNewestFirst.Take(Window)]);
        return new FlakyVerdict(flips, passedOnRetry, flips >= MinFlips || passedOnRetry);
    }

    /// <summary>Pass/fail flips among recent results (newest first), and whether a retry passed right after a failure.</summary>
    public static (int Flips, bool PassedOnRetry) Count(IReadOnlyList<CountedResult> recent)
    {
        var flips = 0;
        var passedOnRetry = false;
        for (var i = 0; i < recent.Count; i++)
        {
            // A run that passed only after failing inside itself (runs.flaky) is the plainest flakiness there is.
            passedOnRetry |= recent[i] is { Failed: false, PassedOnRetry: true };
            if (i + 1 >= recent.Count)
            {
                break;
            }

            if (recent[i].Failed != recent[i + 1].Failed)
            {
                flips++;
            }

            if (!recent[i].Failed && recent[i + 1].Failed && recent[i].Trigger == RunTrigger.Retry)
            {
                passedOnRetry = true;
            }
        }

        return (flips, passedOnRetry);
    }
}
