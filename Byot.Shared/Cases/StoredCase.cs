namespace Byot.Shared.Cases;

/// <summary>One case of one attempt of a run, as stored and as the API shows it.</summary>
public sealed record StoredCase(
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
