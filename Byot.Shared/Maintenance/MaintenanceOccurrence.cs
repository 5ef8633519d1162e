namespace Byot.Shared.Maintenance;

/// <summary>One occurrence of a window, in UTC: from <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive).</summary>
public sealed record MaintenanceOccurrence(DateTimeOffset Start, DateTimeOffset End)
{
    public bool Contains(DateTimeOffset at) => at >= Start && at < End;
}
