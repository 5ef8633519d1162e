namespace Byot.Shared.Status;

/// <summary>One UTC day of a flow's 30-day history: the incidents that were open at some moment of it.</summary>
public sealed record StatusDay(DateOnly Date, IReadOnlyList<Guid> Incidents);
