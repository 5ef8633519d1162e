using System.Formats.Tar;
using System.Globalization;

namespace Byot.Runner.Containers;

/// <summary>A one-entry tar: the directory <see cref="Name"/>, owned by the test's user. Unpacked into /app, where the
/// run's /artifacts volume is mounted under that name, it hands the volume's root to the test's uid. BYOT's
/// <see cref="SupportFiles"/> follow it.</summary>
internal static class OwnedDirectoryArchive
{
    public const string Name = ".artifacts";

    private const int EndOfArchiveBytes = 2 * 512;

    /// <summary>The entry without the tar's end-of-archive blocks, to be followed by another tar.</summary>
    public static MemoryStream HeaderFor(string user)
    {
        var archive = For(user);
        archive.SetLength(archive.Length - EndOfArchiveBytes);
        return archive;
    }

    public static MemoryStream For(string user)
    {
        var parts = user.Split(':');
        var numeric = int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid);
        var gid = uid;
        if (parts.Length > 1 && !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out gid))
        {
            numeric = false;
        }

        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, Name)
            {
                // A user named by name cannot be resolved here; then the directory is open to everyone instead.
                Mode = numeric
                    ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
                    : (UnixFileMode)0x3FF | UnixFileMode.StickyBit,
                Uid = numeric ? uid : 0,
                Gid = numeric ? gid : 0,
                ModificationTime = DateTimeOffset.UnixEpoch,
            });
            SupportFiles.WriteTo(writer);
        }

        stream.Position = 0;
        return stream;
    }
}
