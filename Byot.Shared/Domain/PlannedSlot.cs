namespace Byot.Shared.Domain;

/// <summary>A slot to turn into a run; <see cref="Missed"/> slots are recorded as skipped.</summary>
public sealed record PlannedSlot(Guid TestId, DateTimeOffset ScheduledFor, int ArtifactVersion, bool Missed, string Location = Locations.LocationNames.Default);
