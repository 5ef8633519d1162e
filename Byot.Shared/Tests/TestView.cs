using Byot.Shared.Domain;

namespace Byot.Shared.Tests;

/// <summary>A test as the API shows it.</summary>
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
    DateTimeOffset UpdatedAt)
{
    public static TestView From(TestDefinition t, ScheduleView? schedule) => new(
        t.Id, t.Name, t.Runtime, t.Severity.ToString(), t.Command, t.TimeoutSeconds, t.FailureThreshold, t.MemoryMb,
        t.Cpus, t.NetworkEnabled, t.Enabled, t.ArtifactVersion, schedule, t.CreatedAt, t.UpdatedAt);
}
