namespace Byot.Shared.Problems;

/// <summary>The request lacks the key the resource asks for, or presents a wrong one.</summary>
public sealed class UnauthorizedException(string code, string title, string detail, string? field = null, IReadOnlyList<string>? allowed = null)
    : DomainException(code, title, detail, field, allowed);
