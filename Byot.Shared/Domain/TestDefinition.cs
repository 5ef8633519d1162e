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
    string? Isolation = null,
    IReadOnlyList<string>? Locations = null,
    int FailingLocations = 1)
{
    /// <summary>Sorted and distinct, each valid by the rule in the Tags class.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The test's own retries inside a run; none by default.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.None;

    /// <summary>Test ids and <c>tag:</c> selectors, as given (the rule in the DependsOn class); no cycle among them.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>Where the test runs from; a test that names none runs from the default location.</summary>
    public IReadOnlyList<string> RunsFrom => Locations is { Count: > 0 } l ? l : [Byot.Shared.Locations.LocationNames.Default];
}
