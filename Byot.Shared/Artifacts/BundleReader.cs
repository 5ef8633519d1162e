using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Byot.Shared.Artifacts;

/// <summary>Reads a .zip or .tar.gz bundle entry by entry and refuses anything that could land outside /app
/// (absolute paths, <c>..</c>, links pointing out, devices) or unpack past the limits. Every refusal and every
/// corrupt archive surfaces as <see cref="BundleRefusedException"/> with a message fit for the uploader.</summary>
public static class BundleReader
{
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
        try
        {
            if (format == BundleFormat.Zip)
            {
                await ReadZipAsync(path, budget, onEntry, cancellationToken);
            }
            else if (format == BundleFormat.TarGz)
            {
                await ReadTarGzAsync(path, budget, onEntry, cancellationToken);
            }
            else
            {
                throw new ArgumentOutOfRangeException(nameof(format), format, "Not a bundle format.");
            }
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
                using var reader = new StreamReader(new BudgetStream(content, budget), Encoding.UTF8);
                var target = await reader.ReadToEndAsync(cancellationToken);
                await onEntry(Link(relative, target, BundleEntryKind.SymbolicLink), null, cancellationToken);
                continue;
            }

            if (type is not (0 or 0x8000))
            {
                throw new BundleRefusedException($"Entry '{Clip(entry.FullName)}' is not a file, directory or link.");
            }

            await EmitFileAsync(new BundleEntry(relative, BundleEntryKind.File, (mode & 0x49) != 0, null), content, budget, onEntry, cancellationToken);
        }
    }

    private static async Task ReadTarGzAsync(string path, Budget budget, Func<BundleEntry, Stream?, CancellationToken, ValueTask> onEntry, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
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
                    await EmitFileAsync(new BundleEntry(relative, BundleEntryKind.File, executable, null), entry.DataStream ?? Stream.Null, budget, onEntry, cancellationToken);
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

    private static async Task EmitFileAsync(BundleEntry entry, Stream content, Budget budget, Func<BundleEntry, Stream?, CancellationToken, ValueTask> onEntry, CancellationToken cancellationToken)
    {
        await using var counted = new BudgetStream(content, budget);
        await onEntry(entry, counted, cancellationToken);
        await counted.CopyToAsync(Stream.Null, cancellationToken);
    }

    /// <summary>A symbolic link's target is relative to its own directory; a hard link's to the bundle root.
    /// Either must stay inside the bundle.</summary>
    private static BundleEntry Link(string relative, string target, BundleEntryKind kind)
    {
        if (target.Length == 0 || target.StartsWith('/') || target.Contains('\0', StringComparison.Ordinal))
        {
            throw new BundleRefusedException($"Link '{Clip(relative)}' points to '{Clip(target)}', outside the bundle.");
        }

        var baseDir = kind == BundleEntryKind.SymbolicLink && relative.Contains('/', StringComparison.Ordinal)
            ? relative[..relative.LastIndexOf('/')] + "/"
            : "";
        var depth = 0;
        foreach (var segment in (baseDir + target).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            depth += segment switch { ".." => -1, "." => 0, _ => 1 };
            if (depth < 0)
            {
                throw new BundleRefusedException($"Link '{Clip(relative)}' points to '{Clip(target)}', outside the bundle.");
            }
        }

        return new BundleEntry(relative, kind, false, target);
    }

    private static string Describe(BundleFormat format) => format == BundleFormat.Zip ? ".zip" : ".tar.gz";

    private static string Clip(string value) => value.Length <= 80 ? value : value[..80] + "…";

    private sealed class Budget(BundleLimits limits)
    {
        private long bytes;
        private int entries;

        public void CountEntry()
        {
            if (++entries > limits.MaxEntries)
            {
                throw new BundleRefusedException($"The bundle has more than {limits.MaxEntries} entries.");
            }
        }

        public void CountBytes(int count)
        {
            bytes += count;
            if (bytes > limits.MaxTotalBytes)
            {
                throw new BundleRefusedException($"The bundle unpacks to more than {limits.MaxTotalBytes} bytes.");
            }
        }
    }

    /// <summary>Read-only pass-through that charges every byte read to the bundle's budget.</summary>
    private sealed class BudgetStream(Stream inner, Budget budget) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            budget.CountBytes(read);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            budget.CountBytes(read);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
