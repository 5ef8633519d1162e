using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Byot.Tests.Infrastructure;

namespace Byot.Tests.Security;

/// <summary>Hostile bundles as an attacker would build them: link chains, entries through links, names BYOT reserves,
/// headers far larger than the archive.</summary>
public static class HostileBundles
{
    /// <summary>The escape: a link to <c>.</c>, links whose parent path goes through the earlier link each adding one
    /// <c>..</c>, and a last entry that replaces <c>.artifacts</c> with a link through the chain to the host's /tmp.</summary>
    public static (string Name, string Target)[] Chain =>
    [
        ("a", "."),
        ("a/b", ".."),
        ("a/b/c", ".."),
        ("a/b/c/d", ".."),
        ("a/b/c/d/e", ".."),
        (".artifacts", "a/b/c/d/e/tmp"),
    ];

    public static byte[] ChainTarGz() => Bundles.TarGz([.. Chain.Select(l => (TarEntry)Bundles.Symlink(l.Name, l.Target))]);

    public static byte[] ChainZip() => Zip([.. Chain.Select(l => Link(l.Name, l.Target))]);

    /// <summary>The same chain written as a plain tar, as the Runner would hand it to the engine if nothing checked it;
    /// without <paramref name="replaceArtifacts"/> the last link (over <c>.artifacts</c>) is left out.</summary>
    public static byte[] ChainTar(bool replaceArtifacts)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(Bundles.File("run", "#!/bin/sh\necho hi\n", Bundles.Executable));
            foreach (var (name, target) in replaceArtifacts ? Chain : Chain.SkipLast(1))
            {
                writer.WriteEntry(Bundles.Symlink(name, target));
            }
        }

        return buffer.ToArray();
    }

    public static PaxTarEntry HardLink(string name, string target) => new(TarEntryType.HardLink, name) { LinkName = target, Mode = Bundles.Plain };

    public static (string Name, string? LinkTarget, string Content) File(string name, string content) => (name, null, content);

    public static (string Name, string? LinkTarget, string Content) Link(string name, string target) => (name, target, "");

    /// <summary>A zip whose entries are files or symbolic links (Unix mode in the external attributes, target as content).</summary>
    public static byte[] Zip(params (string Name, string? LinkTarget, string Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, target, content) in entries)
            {
                var entry = zip.CreateEntry(name);
                entry.ExternalAttributes = ((target is null ? 0x8000 : 0xA000) | 0x1A4) << 16;
                using var stream = entry.Open();
                stream.Write(Encoding.UTF8.GetBytes(target ?? content));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A tar.gz whose one file carries a PAX record of <paramref name="bytes"/> bytes: a few KB compressed.</summary>
    public static byte[] HugePax(int bytes)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, "run", new Dictionary<string, string> { ["comment"] = new string('A', bytes) })
        {
            Mode = Bundles.Plain,
            DataStream = new MemoryStream("x"u8.ToArray()),
        };
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(entry);
        }

        return buffer.ToArray();
    }

    /// <summary>A tar.gz whose one file has a GNU long name of <paramref name="bytes"/> bytes.</summary>
    public static byte[] HugeGnuName(int bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Gnu, leaveOpen: true))
        {
            writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, new string('n', bytes)) { DataStream = new MemoryStream("x"u8.ToArray()) });
        }

        return buffer.ToArray();
    }

    /// <summary>A tar.gz whose one symbolic link has a target of <paramref name="bytes"/> bytes.</summary>
    public static byte[] HugeLinkTarget(int bytes) => Bundles.TarGz(Bundles.Symlink("l", new string('t', bytes)));

    /// <summary>A zip whose symbolic link's "target" (its content) is <paramref name="bytes"/> bytes of zeros.</summary>
    public static byte[] HugeZipLinkTarget(int bytes) => Zip(Link("l", new string('0', bytes)));

    /// <summary>An empty zip whose zip64 end record claims <paramref name="entries"/> entries.</summary>
    public static byte[] ZipClaiming(long entries)
    {
        var file = new byte[56 + 20 + 22];
        var zip64 = file.AsSpan(0, 56);
        BinaryPrimitives.WriteUInt32LittleEndian(zip64, 0x06064b50);
        BinaryPrimitives.WriteInt64LittleEndian(zip64[4..], 44);
        BinaryPrimitives.WriteUInt16LittleEndian(zip64[12..], 45);
        BinaryPrimitives.WriteUInt16LittleEndian(zip64[14..], 45);
        BinaryPrimitives.WriteInt64LittleEndian(zip64[24..], entries);
        BinaryPrimitives.WriteInt64LittleEndian(zip64[32..], entries);
        var locator = file.AsSpan(56, 20);
        BinaryPrimitives.WriteUInt32LittleEndian(locator, 0x07064b50);
        BinaryPrimitives.WriteInt64LittleEndian(locator[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(locator[16..], 1);
        var end = file.AsSpan(76, 22);
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], 0xFFFF);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], 0xFFFF);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], 0xFFFFFFFF);
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], 0xFFFFFFFF);
        return file;
    }
}
