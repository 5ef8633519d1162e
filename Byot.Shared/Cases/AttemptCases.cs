namespace Byot.Shared.Cases;

/// <summary>The cases one attempt of a run reported (attempts count from 1; a test with retries has several).</summary>
public sealed record AttemptCases(int Attempt, IReadOnlyList<CaseResult> Cases);
