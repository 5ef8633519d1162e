namespace Byot.Shared.Problems;

/// <summary>What the request names existed but can no longer be used.</summary>
public sealed class GoneException(string code, string title, string detail, string? field = null, IReadOnlyList<string>? allowed = null)
    : DomainException(code, title, detail, field, allowed);
