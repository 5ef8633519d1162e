namespace Byot.Shared.Domain;

/// <summary>The dependency graph of all tests, resolved: an id selects that test, <c>tag:x</c> every test tagged
/// <c>x</c> (itself included, which is a cycle of one). Pure: the nodes come from storage.</summary>
public static class DependencyGraph
{
    /// <summary>The dependencies of <paramref name="node"/> among <paramref name="all"/>, each with the selector that
    /// selects it; ids of tests that do not exist (deleted since) select nothing.</summary>
    public static IEnumerable<(DependencyNode Test, string Selector)> Edges(DependencyNode node, IReadOnlyDictionary<Guid, DependencyNode> all, ILookup<string, DependencyNode> byTag)
    {
        foreach (var selector in node.DependsOn)
        {
            if (DependsOn.IsTag(selector, out var tag))
            {
                foreach (var tagged in byTag[tag])
                {
                    yield return (tagged, selector);
                }
            }
            else if (DependsOn.IsTest(selector, out var id) && all.TryGetValue(id, out var target))
            {
                yield return (target, selector);
            }
        }
    }

    /// <summary>A cycle, preferring one through <paramref name="start"/> (the test just changed); null when there is
    /// none. Depth-first, so it is linear in tests plus dependencies.</summary>
    public static DependencyCycle? FindCycle(IReadOnlyList<DependencyNode> nodes, Guid start)
    {
        var all = nodes.ToDictionary(n => n.Id);
        var byTag = nodes.SelectMany(n => n.Tags.Select(t => (Tag: t, Node: n))).ToLookup(p => p.Tag, p => p.Node, StringComparer.Ordinal);
        var done = new HashSet<Guid>();
        var order = all.TryGetValue(start, out var first) ? new[] { first }.Concat(nodes) : nodes;
        foreach (var root in order)
        {
            if (!done.Contains(root.Id) && Visit(root, all, byTag, done) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    /// <summary>Iterative depth-first search from <paramref name="root"/>; the path on the stack is the cycle's
    /// candidate, and a step back onto it closes one.</summary>
    private static DependencyCycle? Visit(DependencyNode root, Dictionary<Guid, DependencyNode> all, ILookup<string, DependencyNode> byTag, HashSet<Guid> done)
    {
        var path = new List<(DependencyNode Node, string? Via, IEnumerator<(DependencyNode Test, string Selector)> Next)>();
        var onPath = new Dictionary<Guid, int>();
        path.Add((root, null, Edges(root, all, byTag).GetEnumerator()));
        onPath[root.Id] = 0;
        while (path.Count > 0)
        {
            var (node, _, next) = path[^1];
            if (!next.MoveNext())
            {
                path.RemoveAt(path.Count - 1);
                onPath.Remove(node.Id);
                done.Add(node.Id);
                continue;
            }

            var (target, selector) = next.Current;
            if (onPath.TryGetValue(target.Id, out var at))
            {
                var tests = path.Skip(at).Select(p => p.Node).Append(target).ToList();
                var selectors = path.Skip(at + 1).Select(p => p.Via!).Append(selector).ToList();
                return new DependencyCycle(tests, selectors);
            }

            if (!done.Contains(target.Id))
            {
                onPath[target.Id] = path.Count;
                path.Add((target, selector, Edges(target, all, byTag).GetEnumerator()));
            }
        }

        return null;
    }
}
