using Byot.Shared.Domain;

namespace Byot.Shared.Catalog;

/// <summary>A test as the API shows it. <see cref="ArtifactSha256"/> (the current artifact version's hash, which
/// `byot deploy` compares to skip unchanged uploads) is filled in by GET /tests/{id} only.</summary>
public sealed record TestView(
    Guid Id,
    string Name,
    string Runtime,
    string Severity,
    IReadOnlyList<string>? Command,
    int TimeoutSeconds,
    int FailureThreshold,
    int MemoryMb,
    double Cpus,
    bool NetworkEnabled,
    bool Enabled,
    int ArtifactVersion,
    ScheduleView? Schedule,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? ArtifactSha256 = null)
{
    /// <summary><c>gvisor</c> when the test asks for gVisor, <c>default</c> for the Runner's floor.</summary>
    public string Isolation { get; init; } = Isolations.Default;

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Test ids and <c>tag:</c> selectors; while one of them has an open incident, this test's failures join it.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>Where the test runs from; each slot makes one run per location.</summary>
    public IReadOnlyList<string> Locations { get; init; } = [Byot.Shared.Locations.LocationNames.Default];

    /// <summary>k of k-of-N: how many of its locations must be failing before an incident opens.</summary>
    public int FailingLocations { get; init; } = 1;

    /// <summary>The test's own retries inside a run (0 to 5), each in a fresh container.</summary>
    public int Retries { get; init; }

    /// <summary>Seconds before the first retry; later waits grow by <see cref="RetryBackoff"/>.</summary>
    public int RetryDelaySeconds { get; init; }

    /// <summary><c>fixed</c>, <c>linear</c> or <c>exponential</c>.</summary>
    public string RetryBackoff { get; init; } = RetryBackoffs.Fixed;

    public static TestView From(TestDefinition t, ScheduleView? schedule) => new(
        t.Id, t.Name, t.Runtime, t.Severity.ToString(), t.Command, t.TimeoutSeconds, t.FailureThreshold, t.MemoryMb,
        t.Cpus, t.NetworkEnabled, t.Enabled, t.ArtifactVersion, schedule, t.CreatedAt, t.UpdatedAt)
    {
        Isolation = t.Isolation ?? Isolations.Default,
        Locations = t.RunsFrom,
        FailingLocations = t.FailingLocations,
        Retries = t.Retry.Retries,
        RetryDelaySeconds = t.Retry.DelaySeconds,
        RetryBackoff = t.Retry.Backoff,
    };
}
