using Byot.Shared.Domain.Alerting;

namespace Byot.Shared.Options;

/// <summary>A test whose recent results flip between pass and fail, or that passes only on a retry, is flaky: the one
/// setting of <see cref="FlakyRule"/>, read by alerts, the status page and the stats alike.</summary>
public sealed class FlakyOptions
{
    /// <summary>Most recent counted runs (passed, failed, timed_out, oom) looked at.</summary>
    public int Window { get; set; } = 10;

    /// <summary>Pass/fail flips within the window that mark the test flaky.</summary>
    public int MinFlips { get; set; } = 3;

    public FlakyRule Rule() => new(Window, MinFlips);
}
