using System.Text;
using System.Text.RegularExpressions;

namespace Byot.Tests.Alerts;

/// <summary>One accepted message: the envelope and the raw content, with helpers for its headers and body.</summary>
public sealed partial record SmtpMessage(string From, IReadOnlyList<string> To, string Data)
{
    public string Header(string name)
    {
        var head = Data[..Data.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Replace("\r\n ", " ", StringComparison.Ordinal).Replace("\r\n\t", " ", StringComparison.Ordinal);
        var line = head.Split("\r\n").FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));
        return line is null ? "" : Decode(line[(name.Length + 1)..].Trim());
    }

    /// <summary>The body, decoded from base64 or quoted-printable as its Content-Transfer-Encoding says.</summary>
    public string Body
    {
        get
        {
            var raw = Data[(Data.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
            return Header("Content-Transfer-Encoding").ToLowerInvariant() switch
            {
                "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(raw.Replace("\r\n", "", StringComparison.Ordinal))),
                "quoted-printable" => Encoding.UTF8.GetString(QuotedPrintable(raw)),
                _ => raw,
            };
        }
    }

    private static string Decode(string value) =>
        EncodedWord().Replace(value, m => m.Groups[1].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[2].Value))
            : Encoding.UTF8.GetString(QuotedPrintable(m.Groups[2].Value.Replace('_', ' ')))).TrimEnd();

    private static byte[] QuotedPrintable(string text)
    {
        var bytes = new List<byte>();
        text = text.Replace("=\r\n", "", StringComparison.Ordinal);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return [.. bytes];
    }

    [GeneratedRegex(@"=\?utf-8\?([BQ])\?([^?]*)\?=\s*", RegexOptions.IgnoreCase)]
    private static partial Regex EncodedWord();
}
