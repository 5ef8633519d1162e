namespace Byot.Shared.Domain.Alerting;

/// <summary>What the decision remembers about one test between results.</summary>
public sealed record AlertState(
    Guid TestId,
    int ConsecutiveFailures,
    int ConsecutivePasses,
    DateTimeOffset? FailingSince,
    Guid? OpenIncidentId,
    bool Flaky,
    int Flips,
    Guid? LastRunId)
{
    /// <summary>A test no result has been decided for yet.</summary>
    public static AlertState Initial(Guid testId) => new(testId, 0, 0, null, null, false, 0, null);
}
