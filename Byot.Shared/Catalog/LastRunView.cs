namespace Byot.Shared.Catalog;

public sealed record LastRunView(Guid Id, string Status, DateTimeOffset QueuedAt, DateTimeOffset? FinishedAt, long? DurationMs);
