using System.Text;

namespace Byot.Shared.Secrets;

/// <summary>Replaces secret values in log lines with <c>***</c>: the plain value, its URL-encodings, and its base64
/// forms at every byte alignment (so <c>Basic base64(user:secret)</c> is caught too).</summary>
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
