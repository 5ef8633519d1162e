namespace Byot.Shared.Problems;

/// <summary>A part BYOT needs is missing or down; not the request's fault.</summary>
public sealed class UnavailableException(string code, string title, string detail, string? field = null, IReadOnlyList<string>? allowed = null)
    : DomainException(code, title, detail, field, allowed);
