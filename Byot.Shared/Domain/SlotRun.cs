namespace Byot.Shared.Domain;

/// <summary>A run the scheduler created for one slot.</summary>
public sealed record SlotRun(Guid RunId, Guid TestId, DateTimeOffset ScheduledFor, RunStatus Status);
