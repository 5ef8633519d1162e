namespace Byot.Shared.Cases;

/// <summary>A quarantine on a case (docs/cases.md, "Quarantine"): why, until when (null: until removed), who, since when.</summary>
public sealed record CaseQuarantine(string Reason, DateTimeOffset? Until, string? By, DateTimeOffset Since);
