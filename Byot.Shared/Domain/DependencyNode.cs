namespace Byot.Shared.Domain;

/// <summary>One test as the dependency graph sees it: its name (for messages), its tags and what it depends on.</summary>
public sealed record DependencyNode(Guid Id, string Name, IReadOnlyList<string> Tags, IReadOnlyList<string> DependsOn);
