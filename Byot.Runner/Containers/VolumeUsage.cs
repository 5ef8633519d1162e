namespace Byot.Runner.Containers;

/// <summary>What a directory tree costs on disk, measured from the engine's own mountpoint of a volume (a path the
/// engine chose, never one a test wrote). Every entry is charged at least one block, so a flood of empty files or
/// directories (inodes) counts too; sizes are apparent sizes rounded up to blocks, so a sparse file is charged as if
/// it were written out, which errs on the safe side.</summary>
internal static class VolumeUsage
{
    public const long BlockBytes = 4096;

    private static readonly EnumerationOptions OneLevel = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Bytes charged to <paramref name="root"/>, stopping early once past <paramref name="stopAbove"/>.
    /// Null when part of the tree cannot be read: a test that hides part of its volume from the Runner cannot be
    /// measured, and is treated as over its limit by the caller.</summary>
    public static long? Measure(string root, long stopAbove)
    {
        long total = 0;
        var pending = new Stack<DirectoryInfo>();
        pending.Push(new DirectoryInfo(root));
        try
        {
            while (pending.TryPop(out var directory))
            {
                foreach (var entry in directory.EnumerateFileSystemInfos("*", OneLevel))
                {
                    // A link is one entry, whatever it points to: never followed, since its target is the test's
                    // choice and, seen from the Runner, a path on the host.
                    var isLink = entry.LinkTarget is not null;
                    var length = !isLink && entry is FileInfo file ? file.Length : 0;
                    total += Math.Max(BlockBytes, (length + BlockBytes - 1) / BlockBytes * BlockBytes);
                    if (total > stopAbove)
                    {
                        return total;
                    }

                    if (!isLink && entry is DirectoryInfo child)
                    {
                        pending.Push(child);
                    }
                }
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or System.Security.SecurityException)
        {
            // A directory the test removed while we walked it is fine; one we may not read is not.
            return e is DirectoryNotFoundException or FileNotFoundException ? total : null;
        }

        return total;
    }

    /// <summary>Whether the Runner can read the volume's mountpoint at all (it runs on the engine's host with access
    /// to the engine's volume directory).</summary>
    public static bool CanWatch(string? hostPath)
    {
        if (hostPath is null)
        {
            return false;
        }

        try
        {
            _ = Directory.EnumerateFileSystemEntries(hostPath).Any();
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }
}
