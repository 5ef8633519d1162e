using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Byot.Shared.Artifacts;

/// <summary>Reads a .zip or .tar.gz bundle entry by entry and refuses anything that could land outside /app
/// (absolute paths, <c>..</c>, links pointing out, entries through links, links to links, BYOT's reserved names,
/// devices) or unpack past the limits, headers included. Every refusal and every corrupt archive surfaces as
/// <see cref="BundleRefusedException"/> with a message fit for the uploader. The same reader runs at upload and in
/// the Runner, so a bundle stored before a rule existed is refused there too.</summary>
public static class BundleReader
{
    /// <summary>Names BYOT itself uses at the top of /app; no bundle entry may take or shadow them.</summary>
    public static readonly IReadOnlyList<string> ReservedNames = [".artifacts", ".byot"];

    /// <summary>Calls <paramref name="onEntry"/> for each entry in order; file content is a stream that counts
    /// against <see cref="BundleLimits.MaxTotalBytes"/> as it is read, and is drained if the callback leaves some.</summary>
    public static async Task ReadAsync(
        string path,
        BundleFormat format,
        BundleLimits limits,
        Func<BundleEntry, Stream?, CancellationToken, ValueTask> onEntry,
        CancellationToken cancellationToken)
    {
        var budget = new Budget(limits);
        var tree = new BundleTree();
        async ValueTask Checked(BundleEntry entry, Stream? content, CancellationToken ct)
        {
            tree.Add(entry);
            await onEntry(entry, content, ct);
        }

        try
        {
            if (format == BundleFormat.Zip)
            {
                await ReadZipAsync(path, budget, Checked, cancellationToken);
            }
            else if (format == BundleFormat.TarGz)
            {
                await ReadTarGzAsync(path, budget, Checked, cancellationToken);
            }
            else
            {
                throw new ArgumentOutOfRangeException(nameof(format), format, "Not a bundle format.");
            }

            tree.Verify();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or NotSupportedException)
        {
            throw new BundleRefusedException($"The file is not a readable {Describe(format)} archive: {e.Message}", e);
        }
    }

    /// <summary>Normalises an entry name to a relative path inside the root, or refuses it.</summary>
    public static string? SafePath(string name)
    {
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new BundleRefusedException($"Entry '{Clip(name)}' has a NUL character in its name.");
        }

        if (name.Any(char.IsControl))
        {
            throw new BundleRefusedException($"Entry '{Printable(name)}' has a control character in its name; use printable names.");
        }

        if (Encoding.UTF8.GetByteCount(name) > BundleLimits.MaxPathBytes)
        {
            throw new BundleRefusedException($"Entry '{Clip(name)}' has a path longer than {BundleLimits.MaxPathBytes} bytes.");
        }

        var unified = name.Replace('\\', '/');
        if (unified.StartsWith('/') || (unified.Length >= 2 && unified[1] == ':'))
        {
            throw new BundleRefusedException($"Entry '{Clip(name)}' has an absolute path; bundle entries must be relative.");
        }

        var segments = new List<string>();
        foreach (var segment in unified.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                throw new BundleRefusedException($"Entry '{Clip(name)}' climbs out of the bundle with '..'.");
            }

            if (Encoding.UTF8.GetByteCount(segment) > BundleLimits.MaxSegmentBytes)
            {
                throw new BundleRefusedException($"Entry '{Clip(name)}' has a name part longer than {BundleLimits.MaxSegmentBytes} bytes.");
            }

            if (segment != ".")
            {
                segments.Add(segment);
            }
        }

        return segments.Count == 0 ? null : string.Join('/', segments);
    }

    private static async Task ReadZipAsync(string path, Budget budget, Func<BundleEntry, Stream?, CancellationToken, ValueTask> onEntry, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        var (declared, directoryBytes) = ZipDirectory.Read(file);
        if (declared < 0 || declared > budget.Limits.MaxEntries)
        {
            throw new BundleRefusedException(string.Create(CultureInfo.InvariantCulture,
                $"The bundle declares {(ulong)declared} entries; the limit is {budget.Limits.MaxEntries}."));
        }

        // The central directory (names, extra fields, comments) is read into memory whole: it counts first.
        budget.CountBytes(directoryBytes);
        await using var zip = await ZipArchive.CreateAsync(file, ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: Encoding.UTF8, cancellationToken);
        foreach (var entry in zip.Entries)
        {
            budget.CountEntry();
            var relative = SafePath(entry.FullName);
            if (relative is null)
            {
                continue;
            }

            var mode = (entry.ExternalAttributes >> 16) & 0xFFFF;
            var type = mode & 0xF000;
            if (entry.FullName.EndsWith('/') || type == 0x4000)
            {
                await onEntry(new BundleEntry(relative, BundleEntryKind.Directory, true, null), null, cancellationToken);
                continue;
            }

            await using var content = await entry.OpenAsync(cancellationToken);
            if (type == 0xA000)
            {
                var target = await ReadLinkTargetAsync(relative, new ObservedReadStream(content, bytes => budget.CountBytes(bytes.Length)), cancellationToken);
                await onEntry(Link(relative, target, BundleEntryKind.SymbolicLink), null, cancellationToken);
                continue;
            }

            if (type is not (0 or 0x8000))
            {
                throw new BundleRefusedException($"Entry '{Clip(entry.FullName)}' is not a file, directory or link.");
            }

            await EmitFileAsync(new BundleEntry(relative, BundleEntryKind.File, (mode & 0x49) != 0, null), new ObservedReadStream(content, bytes => budget.CountBytes(bytes.Length)), onEntry, cancellationToken);
        }
    }

    private static async Task ReadTarGzAsync(string path, Budget budget, Func<BundleEntry, Stream?, CancellationToken, ValueTask> onEntry, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        var guard = new TarHeaderGuard(budget.CountBytes);
        await using var observed = new ObservedReadStream(gzip, guard.Inspect);
        await using var tar = new TarReader(observed);
        while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
            {
                continue;
            }

            budget.CountEntry();
            var relative = SafePath(entry.Name);
            if (relative is null)
            {
                continue;
            }

            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    await onEntry(new BundleEntry(relative, BundleEntryKind.Directory, true, null), null, cancellationToken);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    var executable = (entry.Mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
                    // The guard below the tar reader already charges these bytes.
                    await EmitFileAsync(new BundleEntry(relative, BundleEntryKind.File, executable, null), entry.DataStream ?? Stream.Null, onEntry, cancellationToken);
                    break;
                case TarEntryType.SymbolicLink:
                    await onEntry(Link(relative, entry.LinkName, BundleEntryKind.SymbolicLink), null, cancellationToken);
                    break;
                case TarEntryType.HardLink:
                    await onEntry(Link(relative, entry.LinkName, BundleEntryKind.HardLink), null, cancellationToken);
                    break;
                default:
                    throw new BundleRefusedException($"Entry '{Clip(entry.Name)}' is a {entry.EntryType}; bundles may hold files, directories and links only.");
            }
        }
    }

    private static async Task EmitFileAsync(BundleEntry entry, Stream content, Func<BundleEntry, Stream?, CancellationToken, ValueTask> onEntry, CancellationToken cancellationToken)
    {
        await onEntry(entry, content, cancellationToken);
        await content.CopyToAsync(Stream.Null, cancellationToken);
    }

    /// <summary>A zip keeps a link's target as the entry's content: read no more than a target may be long.</summary>
    private static async Task<string> ReadLinkTargetAsync(string relative, Stream content, CancellationToken cancellationToken)
    {
        var buffer = new byte[BundleLimits.MaxLinkTargetBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await content.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return length > BundleLimits.MaxLinkTargetBytes
            ? throw new BundleRefusedException($"Link '{Clip(relative)}' has a target longer than {BundleLimits.MaxLinkTargetBytes} bytes.")
            : Encoding.UTF8.GetString(buffer, 0, length);
    }

    /// <summary>A symbolic link's target is relative to its own directory; a hard link's to the bundle root. Neither
    /// may be absolute or contain <c>..</c>: whether a <c>..</c> stays inside depends on every other entry, which is
    /// exactly how a chain of harmless-looking links walks out. Where they land is judged by <see cref="BundleTree"/>.</summary>
    private static BundleEntry Link(string relative, string target, BundleEntryKind kind)
    {
        if (target.Length == 0 || target.StartsWith('/') || target.Contains('\0', StringComparison.Ordinal) || target.Replace('\\', '/').Split('/').Contains(".."))
        {
            throw new BundleRefusedException($"Link '{Clip(relative)}' points to '{Clip(target)}'; link targets must be relative without '..', so nothing can lead outside the bundle.");
        }

        if (target.Any(char.IsControl) || Encoding.UTF8.GetByteCount(target) > BundleLimits.MaxLinkTargetBytes)
        {
            throw new BundleRefusedException($"Link '{Clip(relative)}' has a target with control characters or longer than {BundleLimits.MaxLinkTargetBytes} bytes.");
        }

        return new BundleEntry(relative, kind, false, target);
    }

    private static string Describe(BundleFormat format) => format == BundleFormat.Zip ? ".zip" : ".tar.gz";

    internal static string Clip(string value) => value.Length <= 80 ? value : value[..80] + "…";

    private static string Printable(string value) => Clip(new string([.. value.Select(c => char.IsControl(c) ? '?' : c)]));

    private sealed class Budget(BundleLimits limits)
    {
        private long bytes;
        private int entries;

        public BundleLimits Limits => limits;

        public void CountEntry()
        {
            if (++entries > limits.MaxEntries)
            {
                throw new BundleRefusedException($"The bundle has more than {limits.MaxEntries} entries.");
            }
        }

        public void CountBytes(int count) => CountBytes((long)count);

        public void CountBytes(long count)
        {
            bytes += count;
            if (bytes > limits.MaxTotalBytes)
            {
                throw new BundleRefusedException($"The bundle unpacks to more than {limits.MaxTotalBytes} bytes.");
            }
        }
    }
}
