namespace Byot.Shared.Problems;

/// <summary>The thing the request names does not exist.</summary>
public sealed class NotFoundException(string code, string title, string detail, string? field = null, IReadOnlyList<string>? allowed = null)
    : DomainException(code, title, detail, field, allowed);
