namespace Byot.Shared.Status;

/// <summary>A maintenance window the status page announces: in force now (<see cref="Ongoing"/>) or coming within a
/// week, and the flows on the board it covers.</summary>
public sealed record StatusMaintenance(string Name, string Mode, DateTimeOffset Start, DateTimeOffset End, bool Ongoing, IReadOnlyList<string> Flows);
