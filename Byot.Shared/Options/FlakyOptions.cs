using Byot.Shared.Domain.Alerting;

namespace Byot.Shared.Options;

/// <summary>A test (or case) whose recent results flip between pass and fail, or that passes only on a retry, is
/// flaky until it passes <see cref="HealAfterPasses"/> times in a row: the one setting of <see cref="FlakyRule"/>, read
/// by alerts, the status page, the stats and the cases API alike.</summary>
public sealed class FlakyOptions
{
    /// <summary>Most recent counted runs (passed, failed, timed_out, oom) looked at.</summary>
    public int Window { get; set; } = 10;

    /// <summary>Pass/fail flips within the window that mark the test flaky.</summary>
    public int MinFlips { get; set; } = 3;

    /// <summary>Consecutive plain passes, newest first, that make a flaky test or case healthy again.</summary>
    public int HealAfterPasses { get; set; } = FlakyRule.DefaultHealAfterPasses;

    public FlakyRule Rule() => new(Window, MinFlips, HealAfterPasses);
}
