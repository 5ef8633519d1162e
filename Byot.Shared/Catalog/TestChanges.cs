using Byot.Shared.Domain;

namespace Byot.Shared.Catalog;

/// <summary>Validated changes to a test's definition; null means unchanged. <see cref="ClearCommand"/> restores the
/// runtime's default command; an
/// <see cref="Isolation"/> of <c>default</c> clears the test's request.</summary>
public sealed record TestChanges(
    string? Name = null,
    Severity? Severity = null,
    IReadOnlyList<string>? Command = null,
    bool ClearCommand = false,
    int? TimeoutSeconds = null,
    int? FailureThreshold = null,
    int? MemoryMb = null,
    double? Cpus = null,
    bool? NetworkEnabled = null,
    string? Isolation = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyList<string>? Locations = null,
    int? FailingLocations = null,
    int? Retries = null,
    int? RetryDelaySeconds = null,
    string? RetryBackoff = null,
    IReadOnlyList<string>? DependsOn = null)
{
    public bool IsEmpty => this == new TestChanges();
}
