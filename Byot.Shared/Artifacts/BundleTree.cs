namespace Byot.Shared.Artifacts;

/// <summary>What a bundle unpacks to, entry by entry, so each entry is judged against everything before it: no entry
/// under a link, no path twice (a directory replaced by a link, a link over files), no link to a link, no hard link
/// to anything but an earlier file. <see cref="Verify"/> then resolves every path the way the kernel would, following
/// links, and refuses any that leaves the root.</summary>
internal sealed class BundleTree
{
    private const int MaxLinkHops = 40;
    private readonly Dictionary<string, Node> nodes = new(StringComparer.Ordinal);
    private readonly HashSet<string> linkTargets = new(StringComparer.Ordinal);

    private enum NodeKind
    {
        Directory,
        File,
        SymbolicLink,
    }

    public void Add(BundleEntry entry)
    {
        var path = entry.Path;
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var top = slash < 0 ? path : path[..slash];
        if (BundleReader.ReservedNames.Contains(top, StringComparer.Ordinal))
        {
            throw new BundleRefusedException($"Entry '{BundleReader.Clip(path)}' uses the name '{top}', which BYOT reserves inside /app; rename it.");
        }

        AddParents(path);
        if (nodes.TryGetValue(path, out var existing))
        {
            if (existing.Kind == NodeKind.Directory && entry.Kind == BundleEntryKind.Directory)
            {
                return;
            }

            throw new BundleRefusedException(
                $"Entry '{BundleReader.Clip(path)}' appears twice (first as a {Describe(existing.Kind)}, then as a {Describe(entry.Kind)}); each path may appear once.");
        }

        switch (entry.Kind)
        {
            case BundleEntryKind.Directory:
                nodes[path] = new Node(NodeKind.Directory, null);
                break;
            case BundleEntryKind.File:
                RefuseIfLinkedTo(path, entry.Kind);
                nodes[path] = new Node(NodeKind.File, null);
                break;
            case BundleEntryKind.SymbolicLink:
                AddSymbolicLink(path, entry.LinkTarget!);
                break;
            case BundleEntryKind.HardLink:
                AddHardLink(path, entry.LinkTarget!);
                break;
        }
    }

    /// <summary>Resolves every path, links followed, and refuses one that leaves the root or loops.</summary>
    public void Verify()
    {
        foreach (var path in nodes.Keys)
        {
            Resolve(path);
        }
    }

    private void AddParents(string path)
    {
        for (var at = path.IndexOf('/', StringComparison.Ordinal); at >= 0; at = path.IndexOf('/', at + 1))
        {
            var parent = path[..at];
            if (!nodes.TryGetValue(parent, out var node))
            {
                nodes[parent] = new Node(NodeKind.Directory, null);
            }
            else if (node.Kind == NodeKind.SymbolicLink)
            {
                throw new BundleRefusedException(
                    $"Entry '{BundleReader.Clip(path)}' lies under '{BundleReader.Clip(parent)}', an earlier link; nothing may be unpacked through a link.");
            }
            else if (node.Kind == NodeKind.File)
            {
                throw new BundleRefusedException($"Entry '{BundleReader.Clip(path)}' lies under '{BundleReader.Clip(parent)}', which is a file.");
            }
        }
    }

    private void AddSymbolicLink(string path, string target)
    {
        var directory = path.Contains('/', StringComparison.Ordinal) ? path[..path.LastIndexOf('/')] : "";
        var resolved = BundleReader.SafePath(directory.Length == 0 ? target : directory + "/" + target) ?? "";
        RefuseIfThroughLink(path, resolved);
        if (nodes.TryGetValue(resolved, out var pointed) && pointed.Kind == NodeKind.SymbolicLink)
        {
            throw new BundleRefusedException($"Link '{BundleReader.Clip(path)}' points to '{BundleReader.Clip(resolved)}', another link; links to links are refused.");
        }

        RefuseIfLinkedTo(path, BundleEntryKind.SymbolicLink);
        nodes[path] = new Node(NodeKind.SymbolicLink, target);
        linkTargets.Add(resolved);
    }

    private void AddHardLink(string path, string target)
    {
        var resolved = BundleReader.SafePath(target) ?? "";
        RefuseIfThroughLink(path, resolved);
        if (!nodes.TryGetValue(resolved, out var pointed) || pointed.Kind != NodeKind.File)
        {
            throw new BundleRefusedException($"Hard link '{BundleReader.Clip(path)}' must point to an earlier regular file of the bundle, not '{BundleReader.Clip(target)}'.");
        }

        RefuseIfLinkedTo(path, BundleEntryKind.HardLink);
        nodes[path] = new Node(NodeKind.File, null);
    }

    /// <summary>A link's target must not pass through a link either: that is a link to a link by another name.</summary>
    private void RefuseIfThroughLink(string path, string resolved)
    {
        for (var at = resolved.IndexOf('/', StringComparison.Ordinal); at >= 0; at = resolved.IndexOf('/', at + 1))
        {
            if (nodes.TryGetValue(resolved[..at], out var node) && node.Kind == NodeKind.SymbolicLink)
            {
                throw new BundleRefusedException($"Link '{BundleReader.Clip(path)}' points through '{BundleReader.Clip(resolved[..at])}', another link; links to links are refused.");
            }
        }
    }

    /// <summary>A link created at a name an earlier link points to would make that earlier one a link to a link.</summary>
    private void RefuseIfLinkedTo(string path, BundleEntryKind kind)
    {
        if (kind == BundleEntryKind.SymbolicLink && linkTargets.Contains(path))
        {
            throw new BundleRefusedException($"Link '{BundleReader.Clip(path)}' is the target of an earlier link; links to links are refused.");
        }
    }

    private void Resolve(string path)
    {
        var pending = new LinkedList<string>(path.Split('/'));
        var resolved = new List<string>();
        var hops = 0;
        while (pending.First is { } first)
        {
            pending.RemoveFirst();
            var segment = first.Value;
            if (segment is "." or "")
            {
                continue;
            }

            if (segment == "..")
            {
                if (resolved.Count == 0)
                {
                    throw new BundleRefusedException($"Entry '{BundleReader.Clip(path)}' resolves outside the bundle once its links are followed.");
                }

                resolved.RemoveAt(resolved.Count - 1);
                continue;
            }

            resolved.Add(segment);
            if (nodes.TryGetValue(string.Join('/', resolved), out var node) && node.Kind == NodeKind.SymbolicLink)
            {
                if (++hops > MaxLinkHops)
                {
                    throw new BundleRefusedException($"Entry '{BundleReader.Clip(path)}' goes through more than {MaxLinkHops} links.");
                }

                // A link's target is relative to the directory holding it.
                resolved.RemoveAt(resolved.Count - 1);
                if (node.Target!.StartsWith('/'))
                {
                    throw new BundleRefusedException($"Entry '{BundleReader.Clip(path)}' resolves outside the bundle once its links are followed.");
                }

                foreach (var part in node.Target.Split('/').Reverse())
                {
                    pending.AddFirst(part);
                }
            }
        }
    }

    private static string Describe(NodeKind kind) => kind switch
    {
        NodeKind.Directory => "directory",
        NodeKind.File => "file",
        _ => "link",
    };

    private static string Describe(BundleEntryKind kind) => kind switch
    {
        BundleEntryKind.Directory => "directory",
        BundleEntryKind.File => "file",
        _ => "link",
    };

    private sealed record Node(NodeKind Kind, string? Target);
}
