namespace Byot.Shared.Problems;

/// <summary>The request does not fit the current state of what it names (retrying the same request will not help).</summary>
public sealed class ConflictException(string code, string title, string detail, string? field = null, IReadOnlyList<string>? allowed = null)
    : DomainException(code, title, detail, field, allowed);
