namespace Byot.Shared.Health;

/// <summary>Each dependency's state ("ok" or what failed) and whether all are up.</summary>
public sealed record HealthReport(bool Healthy, IReadOnlyDictionary<string, string> Checks)
{
    /// <summary>Only "ok" or "down" per dependency: what an anonymous caller may know. The reasons (host names,
    /// exception types, server messages) are for callers with a key.</summary>
    public IReadOnlyDictionary<string, string> States =>
        Checks.ToDictionary(c => c.Key, c => c.Value == "ok" ? "ok" : "down", StringComparer.Ordinal);
}
