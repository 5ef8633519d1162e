namespace Byot.Shared.Domain.Alerting;

/// <summary>What the decision remembers about one test between results. <paramref name="JoinedIncidentId"/>: the
/// dependency's incident this test joined while failing without an incident of its own.</summary>
public sealed record AlertState(
    Guid TestId,
    int ConsecutiveFailures,
    int ConsecutivePasses,
    DateTimeOffset? FailingSince,
    Guid? OpenIncidentId,
    bool Flaky,
    int Flips,
    Guid? LastRunId,
    Guid? JoinedIncidentId = null)
{
    /// <summary>A test no result has been decided for yet.</summary>
    public static AlertState Initial(Guid testId) => new(testId, 0, 0, null, null, false, 0, null);
}
