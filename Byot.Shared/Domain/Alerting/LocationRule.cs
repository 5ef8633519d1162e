namespace Byot.Shared.Domain.Alerting;

/// <summary>k of N, the rule for a test that runs from several locations (docs/alerting.md, "Locations"): a location is
/// down once its own latest <c>failure_threshold</c> counted runs failed, and stays down until it has
/// <c>resolveAfterPasses</c> passes in a row; an incident opens when at least k locations are down, and resolves when
/// fewer than k are. A test with one location keeps the single-streak rule.</summary>
public static class LocationRule
{
    /// <summary>How many runs per location the rule reads: enough to see a recovery and the streak before it.</summary>
    public static int Window(int failureThreshold, int resolveAfterPasses) => failureThreshold + resolveAfterPasses;

    /// <summary>Whether the location is down: fewer than <paramref name="resolveAfterPasses"/> passes lead its
    /// history, and right behind them lie at least <paramref name="failureThreshold"/> failures.</summary>
    public static bool IsDown(LocationStreak streak, int failureThreshold, int resolveAfterPasses)
    {
        var passes = streak.RecentFailed.TakeWhile(failed => !failed).Count();
        return passes < resolveAfterPasses && streak.RecentFailed.Skip(passes).TakeWhile(failed => failed).Count() >= failureThreshold;
    }

    public static IReadOnlyList<string> Down(LocationHistory history, int failureThreshold, int resolveAfterPasses) =>
        [.. history.Streaks.Where(s => IsDown(s, failureThreshold, resolveAfterPasses)).Select(s => s.Location)];

    /// <summary>k, at most the number of locations the test has.</summary>
    public static int Required(LocationHistory history) => Math.Clamp(history.Required, 1, Math.Max(1, history.Streaks.Count));

    /// <summary>What the page says: "failing from eu-west only (1 of 3 locations)".</summary>
    public static string Describe(IReadOnlyList<string> down, int locations) =>
        down.Count == locations
            ? $"failing from every location ({string.Join(", ", down)})"
            : $"failing from {string.Join(", ", down)} only ({down.Count} of {locations} locations)";
}
