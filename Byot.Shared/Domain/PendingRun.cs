namespace Byot.Shared.Domain;

/// <summary>A queued run not on the queue (yet, or again): enough to send it to its location's shard.</summary>
public sealed record PendingRun(Guid RunId, Guid TestId, string Location, DateTimeOffset? ScheduledFor);
