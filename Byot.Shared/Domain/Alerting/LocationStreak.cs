namespace Byot.Shared.Domain.Alerting;

/// <summary>One of a test's locations as the k-of-N rule sees it: its latest counted runs there, newest first
/// (true = failed), as many as the rule needs to look at.</summary>
public sealed record LocationStreak(string Location, IReadOnlyList<bool> RecentFailed);
