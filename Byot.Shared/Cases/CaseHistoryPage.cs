namespace Byot.Shared.Cases;

/// <summary>One case of a test across its runs, newest first, a page at a time.</summary>
public sealed record CaseHistoryPage(Guid TestId, string CaseId, string Key, string Suite, string Name, IReadOnlyList<CaseHistoryEntry> Runs, string? Next);
