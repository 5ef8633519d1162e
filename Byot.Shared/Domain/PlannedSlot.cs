namespace Byot.Shared.Domain;

/// <summary>A slot to turn into a run; <see cref="Missed"/> slots, and slots a maintenance window pauses
/// (<see cref="PausedBy"/>, its name), are recorded as skipped.</summary>
public sealed record PlannedSlot(Guid TestId, DateTimeOffset ScheduledFor, int ArtifactVersion, bool Missed, string? PausedBy = null, string Location = Locations.LocationNames.Default);
