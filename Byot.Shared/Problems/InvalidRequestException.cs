namespace Byot.Shared.Problems;

/// <summary>The request itself is wrong (a field, an id, a body); the detail says how to fix it.</summary>
public class InvalidRequestException(string code, string title, string detail, string? field = null, IReadOnlyList<string>? allowed = null)
    : DomainException(code, title, detail, field, allowed);
