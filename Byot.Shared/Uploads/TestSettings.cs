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
}
