using Byot.Shared.Domain;
using Byot.Shared.Scheduling;

namespace Byot.Shared.Uploads;

/// <summary>The validated settings of a new test, before it gets an id or an artifact.</summary>
public sealed record TestSettings(
    string? Name,
    string Runtime,
    Severity Severity,
    IReadOnlyList<string>? Command,
    int TimeoutSeconds,
    int FailureThreshold,
    int MemoryMb,
    double Cpus,
    bool NetworkEnabled,
    Schedule? Schedule,
    string? Image = null,
    string? Isolation = null,
    IReadOnlyList<string>? Locations = null,
    int FailingLocations = 1)
{
    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyList<string> DependsOn { get; init; } = [];

    public RetryPolicy Retry { get; init; } = RetryPolicy.None;

    /// <summary>The new test these settings define: the one mapping both upload paths (multipart and direct) use, so
    /// neither forgets a field.</summary>
    public TestDefinition ToDefinition(Guid id, string fileName, DateTimeOffset now) => new(
        id, Name ?? fileName, Runtime, Severity, Command, TimeoutSeconds, FailureThreshold, MemoryMb, Cpus,
        NetworkEnabled, Enabled: true, ArtifactVersion: 1, now, now, Image, Isolation, Locations, FailingLocations)
    {
        Tags = Tags,
        Retry = Retry,
        DependsOn = DependsOn,
    };
}
