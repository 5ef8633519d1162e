namespace Byot.Shared.Catalog;

/// <param name="Cases">What its cases added up to; null when it reported none (docs/cases.md).</param>
public sealed record LastRunView(Guid Id, string Status, DateTimeOffset QueuedAt, DateTimeOffset? FinishedAt, long? DurationMs, Cases.CaseCounts? Cases = null);
