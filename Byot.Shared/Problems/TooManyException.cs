namespace Byot.Shared.Problems;

/// <summary>A bound on concurrent or queued work is reached; retry later.</summary>
public sealed class TooManyException(string code, string title, string detail, string? field = null, IReadOnlyList<string>? allowed = null)
    : DomainException(code, title, detail, field, allowed);
