namespace Byot.Shared.Scheduling;

/// <summary>What one scheduler tick did.</summary>
public sealed record TickResult(int SchedulesClaimed, int RunsQueued, int RunsSkipped, int RunsEnqueued);
