namespace Byot.Shared.Scheduling;

/// <summary>GET /tests/{id}/schedule: the schedule and its next slots, the first being the one the scheduler
/// claims next. A paused test keeps its schedule; its slots are not run until it is enabled.</summary>
public sealed record ScheduleSlotsView(string Expression, string TimeZone, bool Enabled, IReadOnlyList<DateTimeOffset> Next);
