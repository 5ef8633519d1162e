using Byot.Shared;
using Byot.Shared.Domain.Alerting;
using Byot.Shared.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>In memory: the flip-rate threshold of <see cref="FlakyRule"/> (docs/alerting.md, "Flaky"): both it and
/// MinFlips must be met, the default (MinFlips/Window) behaves exactly as the count alone did, and out-of-range or
/// contradictory settings refuse the start naming the key.</summary>
public sealed class FlipRateTests
{
    [Theory]
    // Newest first; 10 results, so the rate is flips / 10. MinFlipRate 0.5 needs 5 flips.
    [InlineData("PFPFPPPPPP", 4, false)] // 0.4: just below
    [InlineData("PFPFPFFFFF", 5, true)] // 0.5: at the threshold
    [InlineData("PFPFPFPFFF", 7, true)] // 0.7: above
    public void The_flip_rate_threshold_holds_just_below_at_and_above(string results, int flips, bool flaky)
    {
        var rule = new FlakyRule(Window: 10, MinFlips: 3, HealAfterPasses: 10, MinFlipRate: 0.5);
        var verdict = rule.Judge(R(results));
        Assert.Equal((flips, flaky), (verdict.Flips, verdict.Flaky));
        Assert.Equal(flips / 10.0, verdict.FlipRate);
    }

    [Fact]
    public void The_rate_is_over_the_results_in_the_window_and_MinFlips_stays_the_least_evidence()
    {
        var rule = new FlakyRule(Window: 10, MinFlips: 3, HealAfterPasses: 10, MinFlipRate: 0.5);
        // 3 flips over 6 results is 0.5: flaky; over 7 results it is 0.43: not.
        Assert.True(rule.Judge(R("FPFPPP")).Flaky);
        Assert.False(rule.Judge(R("FPFPPPP")).Flaky);
        // Two results that differ are a rate of 0.5 (1 of 2) but one flip is below MinFlips 3.
        Assert.False(rule.Judge(R("FP")).Flaky);
        // A pass on a retry is flaky whatever the rate.
        Assert.True(rule.Judge([new FlakyResult(false, true), new FlakyResult(false, false)]).Flaky);
    }

    [Fact]
    public void The_default_rate_is_MinFlips_over_Window_and_judges_every_history_exactly_as_the_count_alone()
    {
        var options = new FlakyOptions();
        Assert.Equal(0.3, options.EffectiveMinFlipRate);
        var byRate = options.Rule();
        var byCount = new FlakyRule(options.Window, options.MinFlips, options.HealAfterPasses);
        Assert.Equal(0, byCount.MinFlipRate);
        // Every pass/fail history of up to 12 results (longer than the window), newest first.
        for (var length = 1; length <= 12; length++)
        {
            for (var bits = 0; bits < 1 << length; bits++)
            {
                FlakyResult[] history = [.. Enumerable.Range(0, length).Select(i => new FlakyResult((bits >> i & 1) == 1, false))];
                Assert.True(byRate.Judge(history) == byCount.Judge(history), $"history {bits} of length {length}");
            }
        }

        // The boundary of the equivalence: 3 flips in a full window of 10 is a rate of exactly 0.3.
        Assert.False(byRate.Judge(R("PFPPPPPPPP")).Flaky);
        var atThreshold = byRate.Judge(R("PFPPPPPPPF"));
        Assert.Equal((3, 0.3, true), (atThreshold.Flips, atThreshold.FlipRate, atThreshold.Flaky));
    }

    [Theory]
    [InlineData("0.5", null)]
    [InlineData("0.3", null)]
    [InlineData("0.9", null)]
    [InlineData("0.91", "at most (Window − 1)/Window = 0.9")]
    [InlineData("1", "at most (Window − 1)/Window")]
    [InlineData("0", "must be above 0")]
    [InlineData("-0.1", "must be above 0")]
    [InlineData("NaN", "must be above 0")]
    [InlineData("0.2", "below Byot:Alerts:Flaky:MinFlips/Window = 3/10 = 0.3")]
    public void Out_of_range_and_contradictory_rates_refuse_the_start_naming_the_key(string rate, string? problem)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [FlakyOptions.MinFlipRateKey] = rate }).Build();
        using var services = new ServiceCollection().AddLogging().AddByotShared(configuration).BuildServiceProvider();
        if (problem is null)
        {
            var value = services.GetRequiredService<IOptions<AlertingOptions>>().Value;
            Assert.Equal(double.Parse(rate, System.Globalization.CultureInfo.InvariantCulture), value.Flaky.Rule().MinFlipRate);
            return;
        }

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AlertingOptions>>().Value);
        Assert.Contains(FlakyOptions.MinFlipRateKey, refused.Message, StringComparison.Ordinal);
        Assert.Contains(problem, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lowering_MinFlips_with_the_rate_is_accepted_and_the_rate_then_decides()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FlakyOptions.MinFlipRateKey] = "0.2",
            ["Byot:Alerts:Flaky:MinFlips"] = "1",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddByotShared(configuration).BuildServiceProvider();
        var rule = services.GetRequiredService<IOptions<AlertingOptions>>().Value.Flaky.Rule();
        // One flip in ten meets MinFlips 1 but is a rate of 0.1, below 0.2; two flips (0.2) are flaky.
        Assert.False(rule.Judge(R("PFFFFFFFFF")).Flaky);
        Assert.True(rule.Judge(R("PFPPPPPPPP")).Flaky);
    }

    /// <summary>Newest first: P passed, F failed.</summary>
    private static FlakyResult[] R(string results) => [.. results.Select(c => new FlakyResult(c == 'F', false))];
}
