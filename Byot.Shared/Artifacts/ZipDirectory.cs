using System.Buffers.Binary;
using System.Globalization;

namespace Byot.Shared.Artifacts;

/// <summary>A zip's entry count and central-directory size, read from its end-of-central-directory record (zip64 too)
/// before the archive is opened, so a zip that claims a million entries is refused before any is read.</summary>
internal static class ZipDirectory
{
    private const uint EndSignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const int EndBytes = 22;
    private const int MaxCommentBytes = 65_535;

    public static (long Entries, long DirectoryBytes) Read(FileStream file)
    {
        var tailLength = (int)Math.Min(file.Length, EndBytes + MaxCommentBytes);
        var tail = new byte[tailLength];
        file.Position = file.Length - tailLength;
        file.ReadExactly(tail);
        for (var at = tailLength - EndBytes; at >= 0; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at)) != EndSignature)
            {
                continue;
            }

            long entries = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(at + 10));
            long size = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at + 12));
            var locator = at - 20;
            if ((entries == 0xFFFF || size == 0xFFFFFFFF) && locator >= 0
                && BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(locator)) == Zip64LocatorSignature)
            {
                (entries, size) = ReadZip64(file, BinaryPrimitives.ReadInt64LittleEndian(tail.AsSpan(locator + 8)));
            }

            file.Position = 0;
            return size > file.Length
                ? throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"its central directory claims {size} bytes in a {file.Length}-byte file"))
                : (entries, size);
        }

        throw new InvalidDataException("it has no end-of-central-directory record");
    }

    private static (long Entries, long Size) ReadZip64(FileStream file, long offset)
    {
        if (offset < 0 || offset > file.Length - 56)
        {
            throw new InvalidDataException("its zip64 end record lies outside the file");
        }

        var record = new byte[56];
        file.Position = offset;
        file.ReadExactly(record);
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndSignature)
        {
            throw new InvalidDataException("its zip64 end record is missing");
        }

        return (BinaryPrimitives.ReadInt64LittleEndian(record.AsSpan(32)), BinaryPrimitives.ReadInt64LittleEndian(record.AsSpan(40)));
    }
}
