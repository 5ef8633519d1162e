namespace Byot.Shared.Domain;

/// <summary>What to run, how, and how loud a failure is. Observations (runs) live apart.</summary>
public sealed record TestDefinition(
    Guid Id,
    string Name,
    string Runtime,
    Severity Severity,
    IReadOnlyList<string>? Command,
    int TimeoutSeconds,
    int FailureThreshold,
    int MemoryMb,
    double Cpus,
    bool NetworkEnabled,
    bool Enabled,
    int ArtifactVersion,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? Image = null,
    string? Isolation = null)
{
    /// <summary>Sorted and distinct, each valid by the rule in the Tags class.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}
