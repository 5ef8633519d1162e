namespace Byot.Shared.Health;

/// <summary>Each dependency's state ("ok" or what failed) and whether all are up.</summary>
public sealed record HealthReport(bool Healthy, IReadOnlyDictionary<string, string> Checks);
