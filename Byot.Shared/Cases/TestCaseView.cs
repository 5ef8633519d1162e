namespace Byot.Shared.Cases;

/// <summary>A test's case over its recent runs on the current artifact version (docs/cases.md): <see cref="State"/> is
/// healthy, flaky or broken; <see cref="Quarantined"/> the quarantine in force, if any.</summary>
public sealed record TestCaseView(
    string CaseId,
    string Key,
    string Suite,
    string Name,
    string LastStatus,
    DateTimeOffset LastSeenAt,
    int Runs,
    double PassRate,
    double FlipRate,
    bool Flaky,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset? LastFailureAt,
    string State,
    CaseQuarantine? Quarantined);
