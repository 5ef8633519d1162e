using System.Globalization;
using Byot.Shared.Domain.Alerting;

namespace Byot.Shared.Options;

/// <summary>A test (or case) whose recent results flip between pass and fail, or that passes only on a retry, is
/// flaky until it passes <see cref="HealAfterPasses"/> times in a row: the one setting of <see cref="FlakyRule"/>, read
/// by alerts, the status page, the stats and the cases API alike.</summary>
public sealed class FlakyOptions
{
    /// <summary>Most recent counted runs (passed, failed, timed_out, oom) looked at.</summary>
    public int Window { get; set; } = 10;

    /// <summary>Pass/fail flips within the window that mark the test flaky (with <see cref="MinFlipRate"/>: both must be met).</summary>
    public int MinFlips { get; set; } = 3;

    /// <summary>The flip-rate threshold: flips divided by the results in the window. Unset, it is
    /// <see cref="MinFlips"/>/<see cref="Window"/> (0.3 at the defaults), which the count alone already implies, so
    /// behaviour is the count's; set, it must lie in [MinFlips/Window, (Window−1)/Window].</summary>
    public double? MinFlipRate { get; set; }

    public const string MinFlipRateKey = "Byot:Alerts:Flaky:MinFlipRate";

    /// <summary>Consecutive plain passes, newest first, that make a flaky test or case healthy again.</summary>
    public int HealAfterPasses { get; set; } = FlakyRule.DefaultHealAfterPasses;

    /// <summary>The flip-rate threshold in force: the setting, else MinFlips/Window.</summary>
    public double EffectiveMinFlipRate => MinFlipRate ?? (double)MinFlips / Window;

    public FlakyRule Rule() => new(Window, MinFlips, HealAfterPasses, EffectiveMinFlipRate);

    /// <summary>What is wrong with the settings, naming the key and the fix; empty when they are fine.</summary>
    public IEnumerable<string> Problems()
    {
        if (Window < 2 || MinFlips < 1 || MinFlips >= Window || HealAfterPasses < 1 || HealAfterPasses > Window)
        {
            yield return "Byot:Alerts:Flaky: Window >= 2, 1 <= MinFlips < Window and 1 <= HealAfterPasses <= Window.";
            yield break;
        }

        if (MinFlipRate is not { } rate)
        {
            yield break;
        }

        // The most flips N results can hold is N − 1, so a higher rate could never be met.
        var highest = (double)(Window - 1) / Window;
        var floor = (double)MinFlips / Window;
        if (!double.IsFinite(rate) || rate <= 0 || rate > highest)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{MinFlipRateKey} is {rate}: it must be above 0 and at most (Window − 1)/Window = {highest:0.####} (Window {Window}), the highest flip rate a window can hold.");
        }
        else if (rate < floor - 1e-9)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{MinFlipRateKey} is {rate}, below Byot:Alerts:Flaky:MinFlips/Window = {MinFlips}/{Window} = {floor:0.####}: ")
                + "both thresholds must be met, so it would change nothing; lower Byot:Alerts:Flaky:MinFlips as well, or remove " + MinFlipRateKey + ".";
        }
    }
}
