using System.Buffers.Binary;
using System.IO.Compression;

namespace Byot.Tests.Infrastructure;

/// <summary>Just enough PNG to read a browser screenshot: 8-bit RGB or RGBA, not interlaced.</summary>
public sealed class PngImage
{
    private readonly byte[] pixels;
    private readonly int channels;

    private PngImage(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        this.channels = channels;
        this.pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            var at = ((y * Width) + x) * channels;
            return (pixels[at], pixels[at + 1], pixels[at + 2]);
        }
    }

    public static PngImage Load(string path)
    {
        var data = File.ReadAllBytes(path);
        var offset = 8;
        int width = 0, height = 0, channels = 0;
        using var compressed = new MemoryStream();
        while (offset < data.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(data, offset + 4, 4);
            var body = data.AsSpan(offset + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(body);
                height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                if (body[8] != 8 || body[12] != 0 || body[10] != 0 || body[11] != 0 || body[9] is not (2 or 6))
                {
                    throw new NotSupportedException("only 8-bit RGB/RGBA non-interlaced PNG");
                }

                channels = body[9] == 2 ? 3 : 4;
            }
            else if (type == "IDAT")
            {
                compressed.Write(body);
            }

            offset += 12 + length;
        }

        compressed.Position = 0;
        using var inflate = new ZLibStream(compressed, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        inflate.CopyTo(raw);
        return new PngImage(width, height, channels, Unfilter(raw.ToArray(), width, height, channels));
    }

    private static byte[] Unfilter(byte[] raw, int width, int height, int bpp)
    {
        var stride = width * bpp;
        var output = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var line = raw.AsSpan((y * (stride + 1)) + 1, stride);
            var row = output.AsSpan(y * stride, stride);
            for (var x = 0; x < stride; x++)
            {
                int a = x >= bpp ? row[x - bpp] : 0;
                int b = y > 0 ? output[((y - 1) * stride) + x] : 0;
                int c = x >= bpp && y > 0 ? output[((y - 1) * stride) + x - bpp] : 0;
                row[x] = (byte)(line[x] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new NotSupportedException("bad filter " + filter),
                });
            }
        }

        return output;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
