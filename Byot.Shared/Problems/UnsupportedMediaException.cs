namespace Byot.Shared.Problems;

/// <summary>The request's body is in a form the route does not read.</summary>
public sealed class UnsupportedMediaException(string code, string title, string detail, string? field = null, IReadOnlyList<string>? allowed = null)
    : DomainException(code, title, detail, field, allowed);
