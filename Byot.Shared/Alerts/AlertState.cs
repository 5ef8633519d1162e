namespace Byot.Shared.Alerts;

/// <summary>What the evaluator remembers about one test between results.</summary>
public sealed record AlertState(
    Guid TestId,
    int ConsecutiveFailures,
    int ConsecutivePasses,
    DateTimeOffset? FailingSince,
    Guid? OpenIncidentId,
    bool Flaky,
    int Flips,
    Guid? LastRunId);
