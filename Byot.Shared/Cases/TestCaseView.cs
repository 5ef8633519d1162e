namespace Byot.Shared.Cases;

/// <summary>A test's case over its recent runs on the current artifact version (docs/cases.md).</summary>
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
    DateTimeOffset? LastFailureAt);
