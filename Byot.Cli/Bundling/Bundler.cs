using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Byot.Cli.Bundling;

/// <summary>Prepares a file or directory for upload. A directory becomes a reproducible .tar.gz: entries sorted,
/// fixed timestamps and owners, modes kept, <c>.git</c> left out, so the same tree always has the same sha256 and `byot deploy` uploads
/// only what changed.</summary>
internal static class Bundler
{
    private static readonly DateTimeOffset FixedTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<Bundle> CreateAsync(string path, CancellationToken cancellationToken)
    {
        if (File.Exists(path))
        {
            return new Bundle(path, System.IO.Path.GetFileName(path), await HashAsync(path, cancellationToken), new FileInfo(path).Length, temporary: false);
        }

        if (!Directory.Exists(path))
        {
            throw CliException.BadInput($"'{path}' is neither a file nor a directory.");
        }

        var full = System.IO.Path.GetFullPath(path).TrimEnd(System.IO.Path.DirectorySeparatorChar);
        var temp = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "byot-" + Guid.NewGuid().ToString("N") + ".tar.gz");
        try
        {
            await using (var file = File.Create(temp))
            await using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
            await using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
            {
                foreach (var entry in Entries(full))
                {
                    await WriteEntryAsync(tar, full, entry, cancellationToken);
                }
            }

            var name = (System.IO.Path.GetFileName(full) is { Length: > 0 } n ? n : "bundle") + ".tar.gz";
            return new Bundle(temp, name, await HashAsync(temp, cancellationToken), new FileInfo(temp).Length, temporary: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static IEnumerable<string> Entries(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => System.IO.Path.GetRelativePath(root, p).Replace(System.IO.Path.DirectorySeparatorChar, '/'))
            .Where(p => !p.Split('/').Contains(".git", StringComparer.Ordinal))
            .Order(StringComparer.Ordinal);

    private static async Task WriteEntryAsync(TarWriter tar, string root, string relative, CancellationToken cancellationToken)
    {
        var full = System.IO.Path.Combine(root, relative);
        var info = new FileInfo(full);
        if (info.LinkTarget is not null)
        {
            throw CliException.BadInput($"'{full}' is a symbolic link; bundles hold regular files and directories only.");
        }

        var isDirectory = info.Attributes.HasFlag(FileAttributes.Directory);
        var entry = new UstarTarEntry(isDirectory ? TarEntryType.Directory : TarEntryType.RegularFile, isDirectory ? relative + "/" : relative)
        {
            ModificationTime = FixedTime,
            Uid = 0,
            Gid = 0,
            UserName = "",
            GroupName = "",
            Mode = Mode(full, isDirectory),
        };
        if (isDirectory)
        {
            await tar.WriteEntryAsync(entry, cancellationToken);
            return;
        }

        await using var data = File.OpenRead(full);
        entry.DataStream = data;
        await tar.WriteEntryAsync(entry, cancellationToken);
    }

    private static UnixFileMode Mode(string path, bool isDirectory)
    {
        const UnixFileMode Read = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        const UnixFileMode Exec = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if (isDirectory)
        {
            return Read | Exec;
        }

        var executable = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;
        return executable ? Read | Exec : Read;
    }

    public static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
