using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Byot.Tests.Infrastructure;

/// <summary>Builds real .zip and .tar.gz bundles in memory, including hostile ones.</summary>
public static class Bundles
{
    public const UnixFileMode Executable = (UnixFileMode)0x1ED; // 0755
    public const UnixFileMode Plain = (UnixFileMode)0x1A4; // 0644

    public static byte[] Zip(params (string Name, string Content, UnixFileMode Mode)[] files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content, mode) in files)
            {
                var entry = zip.CreateEntry(name);
                entry.ExternalAttributes = (0x8000 | (int)mode) << 16;
                using var stream = entry.Open();
                stream.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        return buffer.ToArray();
    }

    public static byte[] TarGz(params TarEntry[] entries)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }

    public static PaxTarEntry File(string name, string content, UnixFileMode mode = Plain) => new(TarEntryType.RegularFile, name)
    {
        Mode = mode,
        DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
    };

    public static PaxTarEntry Directory(string name) => new(TarEntryType.Directory, name) { Mode = Executable };

    public static PaxTarEntry Symlink(string name, string target) => new(TarEntryType.SymbolicLink, name) { LinkName = target, Mode = Executable };
}
