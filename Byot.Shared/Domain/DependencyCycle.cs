namespace Byot.Shared.Domain;

/// <summary>A cycle of dependencies, first test repeated last (<c>checkout → auth → checkout</c>), with the
/// selectors that make each step (a test id or a tag).</summary>
public sealed record DependencyCycle(IReadOnlyList<DependencyNode> Tests, IReadOnlyList<string> Selectors)
{
    /// <summary>By names: <c>checkout → auth → checkout</c>.</summary>
    public string Path => string.Join(" → ", Tests.Select(t => t.Name));

    /// <summary>The steps made through a tag, which a reader cannot see from the names alone.</summary>
    public IEnumerable<string> ThroughTags =>
        Tests.Zip(Selectors).Where(p => Domain.DependsOn.IsTag(p.Second, out _)).Select(p => $"{p.First.Name} depends on {p.Second}");
}
