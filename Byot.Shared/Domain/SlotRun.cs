namespace Byot.Shared.Domain;

/// <summary>A run the scheduler created for one slot in one location.</summary>
public sealed record SlotRun(Guid RunId, Guid TestId, DateTimeOffset ScheduledFor, RunStatus Status, string Location);
