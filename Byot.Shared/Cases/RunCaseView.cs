namespace Byot.Shared.Cases;

/// <summary>One case of a run as the API shows it.</summary>
public sealed record RunCaseView(
    string CaseId,
    string Key,
    string Suite,
    string Name,
    string Status,
    long? DurationMs,
    string? Message,
    string? Output,
    int Attempt,
    bool Flaky,
    int Retries);
