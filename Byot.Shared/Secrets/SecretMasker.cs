using System.Text;

namespace Byot.Shared.Secrets;

/// <summary>Replaces secret values in log lines with <c>***</c>: the plain value, its URL-encodings, hex (both cases),
/// JSON string escapes (<c>\uXXXX</c> as .NET, Python and PHP write them), and its base64 forms at every byte alignment
/// (so <c>Basic base64(user:secret)</c> is caught too).</summary>
public sealed class SecretMasker
{
    public const string Mask = "***";

    // Shorter values would mask ordinary words and numbers all over the log.
    public const int MinLength = 4;

    private static readonly byte[] MaskBytes = Encoding.ASCII.GetBytes(Mask);
    private readonly byte[][] patterns;

    public SecretMasker(IEnumerable<string> secrets)
    {
        var variants = new HashSet<string>(StringComparer.Ordinal);
        foreach (var secret in secrets.Where(s => s.Length >= MinLength))
        {
            variants.Add(secret);
            foreach (var encoded in new[] { Uri.EscapeDataString(secret), System.Net.WebUtility.UrlEncode(secret) })
            {
                variants.Add(encoded);
                variants.Add(LowerHexEscapes(encoded));
            }

            var bytes = Encoding.UTF8.GetBytes(secret);
            variants.Add(Convert.ToHexStringLower(bytes));
            variants.Add(Convert.ToHexString(bytes));
            foreach (var escaped in JsonEscapes(secret))
            {
                variants.Add(escaped);
            }

            for (var shift = 0; shift < 3; shift++)
            {
                var encoded = Convert.ToBase64String([.. new byte[shift], .. bytes]);
                var start = ((shift * 8) + 5) / 6;
                var end = (shift + bytes.Length) * 8 / 6;
                if (end - start >= MinLength)
                {
                    var core = encoded[start..end];
                    variants.Add(core);
                    variants.Add(core.Replace('+', '-').Replace('/', '_'));
                }
            }
        }

        // Longest first, so a value that contains another is masked whole.
        patterns = [.. variants.Where(v => v.Length >= MinLength).OrderByDescending(v => v.Length).Select(Encoding.UTF8.GetBytes)];
    }

    public bool IsEmpty => patterns.Length == 0;

    /// <summary>Bytes a chunked writer must carry over from one chunk to the next so that no occurrence is split.</summary>
    public int Overlap => patterns.Length == 0 ? 0 : patterns[0].Length - 1;

    /// <summary>The largest cut at or before <paramref name="cut"/> that splits no occurrence in <paramref name="data"/>.</summary>
    public int SafeCut(ReadOnlySpan<byte> data, int cut)
    {
        for (var moved = true; moved && cut > 0;)
        {
            moved = false;
            foreach (var pattern in patterns)
            {
                var from = Math.Max(0, cut - pattern.Length + 1);
                var at = data[from..Math.Min(data.Length, cut + pattern.Length - 1)].IndexOf(pattern);
                if (at >= 0 && from + at < cut)
                {
                    cut = from + at;
                    moved = true;
                }
            }
        }

        return cut;
    }

    /// <summary>The secret inside a JSON string as common serialisers write it: .NET's default encoder, every non-ASCII
    /// (Python's ensure_ascii) or every character as <c>\uXXXX</c> in either case, and PHP's <c>\/</c>.</summary>
    private static IEnumerable<string> JsonEscapes(string secret)
    {
        var dotnet = System.Text.Json.JsonSerializer.Serialize(secret);
        yield return dotnet[1..^1];
        foreach (var format in new[] { "x4", "X4" })
        {
            yield return string.Concat(secret.Select(c => c < 0x80 ? Escape(c, format) : "\\u" + ((int)c).ToString(format, System.Globalization.CultureInfo.InvariantCulture)));
            yield return string.Concat(secret.Select(c => "\\u" + ((int)c).ToString(format, System.Globalization.CultureInfo.InvariantCulture)));
        }

        // PHP's json_encode: \/ and every non-ASCII character escaped.
        yield return string.Concat(secret.Select(c => c == '/' ? "\\/" : c < 0x80 ? Escape(c, "x4") : "\\u" + ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static string Escape(char c, string format) => c switch
    {
        '"' => "\\\"",
        '\\' => "\\\\",
        < ' ' => "\\u" + ((int)c).ToString(format, System.Globalization.CultureInfo.InvariantCulture),
        _ => c.ToString(),
    };

    private static string LowerHexEscapes(string encoded)
    {
        var chars = encoded.ToCharArray();
        for (var i = 0; i + 2 < chars.Length; i++)
        {
            if (chars[i] == '%')
            {
                chars[i + 1] = char.ToLowerInvariant(chars[i + 1]);
                chars[i + 2] = char.ToLowerInvariant(chars[i + 2]);
            }
        }

        return new string(chars);
    }

    /// <summary>The line with every occurrence masked; the same array when there was nothing to mask.</summary>
    public byte[] Apply(byte[] line)
    {
        var current = line;
        foreach (var pattern in patterns)
        {
            var at = current.AsSpan().IndexOf(pattern);
            if (at < 0)
            {
                continue;
            }

            var output = new List<byte>(current.Length);
            var rest = current.AsSpan();
            while (at >= 0)
            {
                output.AddRange(rest[..at]);
                output.AddRange(MaskBytes);
                rest = rest[(at + pattern.Length)..];
                at = rest.IndexOf(pattern);
            }

            output.AddRange(rest);
            current = [.. output];
        }

        return current;
    }
}
