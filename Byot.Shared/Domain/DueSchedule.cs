namespace Byot.Shared.Domain;

/// <summary>A schedule whose next slot falls before the scheduler's horizon, locked for this tick.</summary>
public sealed record DueSchedule(Guid TestId, string Expression, string TimeZone, DateTimeOffset NextRunAt, int ArtifactVersion, IReadOnlyList<string> Locations);
