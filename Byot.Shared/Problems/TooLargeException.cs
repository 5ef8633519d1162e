namespace Byot.Shared.Problems;

/// <summary>The request carries more than BYOT accepts.</summary>
public sealed class TooLargeException(string code, string title, string detail, string? field = null, IReadOnlyList<string>? allowed = null)
    : DomainException(code, title, detail, field, allowed);
