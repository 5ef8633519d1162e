namespace Byot.Shared.Incidents;

/// <summary>Who acknowledges or resolves an incident (free text: a function key names nobody) and why.</summary>
public sealed record IncidentAction(string? By, string? Note);
