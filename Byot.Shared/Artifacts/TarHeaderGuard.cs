using System.Globalization;
using System.Text;

namespace Byot.Shared.Artifacts;

/// <summary>Watches the bytes between the decompressor and the tar reader (through <see cref="ObservedReadStream"/>)
/// and follows the tar's structure as it streams by: every decompressed byte (headers, PAX records, GNU long names,
/// padding) is charged to the budget, and a metadata entry larger than <see cref="BundleLimits.MaxHeaderBytes"/> is
/// refused from its 512-byte header, before the tar reader would allocate its size.</summary>
internal sealed class TarHeaderGuard(Action<int> charge)
{
    private const int Block = 512;
    private readonly byte[] header = new byte[Block];
    private int headerFill;
    private long dataLeft;
    private MemoryStream? pax;
    private long? paxSize;
    private long paxLength;

    public void Inspect(ReadOnlySpan<byte> bytes)
    {
        charge(bytes.Length);
        while (bytes.Length > 0)
        {
            if (dataLeft > 0)
            {
                var take = (int)Math.Min(dataLeft, bytes.Length);
                pax?.Write(bytes[..take]);
                dataLeft -= take;
                bytes = bytes[take..];
                if (dataLeft == 0 && pax is not null)
                {
                    EndPax();
                }

                continue;
            }

            var fill = Math.Min(Block - headerFill, bytes.Length);
            bytes[..fill].CopyTo(header.AsSpan(headerFill));
            headerFill += fill;
            bytes = bytes[fill..];
            if (headerFill == Block)
            {
                headerFill = 0;
                OnHeader();
            }
        }
    }

    private void OnHeader()
    {
        if (header.AsSpan().IndexOfAnyExcept((byte)0) < 0)
        {
            return; // end-of-archive block
        }

        var entryType = (char)header[156];
        var size = ParseSize(header.AsSpan(124, 12));
        var metadata = entryType is 'x' or 'g' or 'L' or 'K' or 'X';
        if (metadata && size > BundleLimits.MaxHeaderBytes)
        {
            throw new BundleRefusedException(string.Create(CultureInfo.InvariantCulture,
                $"The bundle has a {size}-byte tar metadata entry (type '{entryType}'); the limit is {BundleLimits.MaxHeaderBytes} bytes."));
        }

        if (!metadata && paxSize is { } overridden)
        {
            // A PAX 'size' record replaces the header's own size field for the next entry.
            size = overridden;
        }

        if (!metadata)
        {
            paxSize = null;
        }

        // Directories and links carry no data whatever their size field says.
        if (entryType is '1' or '2' or '3' or '4' or '5' or '6')
        {
            size = 0;
        }

        dataLeft = (size + Block - 1) / Block * Block;
        pax = entryType == 'x' && size > 0 ? new MemoryStream((int)dataLeft) : null;
        paxLength = size;
    }

    private void EndPax()
    {
        var records = Encoding.UTF8.GetString(pax!.GetBuffer(), 0, (int)Math.Min(pax.Length, paxLength));
        pax = null;
        foreach (var record in records.Split('\n'))
        {
            var space = record.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && record.AsSpan(space + 1).StartsWith("size=", StringComparison.Ordinal)
                && long.TryParse(record.AsSpan(space + 6), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                paxSize = value;
            }
        }
    }

    /// <summary>Octal digits, or base-256 (GNU) when the first byte's high bit is set.</summary>
    private static long ParseSize(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) != 0)
        {
            long binary = 0;
            for (var i = 1; i < field.Length; i++)
            {
                if (binary > (long.MaxValue >> 8))
                {
                    throw new BundleRefusedException("The bundle has a tar entry whose size does not fit in 64 bits.");
                }

                binary = (binary << 8) | field[i];
            }

            return binary;
        }

        long value = 0;
        foreach (var b in field)
        {
            if (b is >= (byte)'0' and <= (byte)'7')
            {
                value = (value * 8) + (b - '0');
            }
            else if (b is 0 or (byte)' ')
            {
                if (value > 0)
                {
                    break;
                }
            }
            else
            {
                throw new InvalidDataException("A tar header has a malformed size field.");
            }
        }

        return value;
    }
}
