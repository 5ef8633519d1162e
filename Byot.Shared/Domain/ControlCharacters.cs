using System.Text;

namespace Byot.Shared.Domain;

/// <summary>Characters a name or a quoted log line must not carry into a page, a chat message or a mail: C0 and C1
/// controls (terminal escapes, CR/LF that would forge lines, NUL) and the invisible bidirectional overrides that make
/// text read differently from what it is.</summary>
public static class ControlCharacters
{
    public static bool IsUnsafe(char c) =>
        char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>The text without them; with <paramref name="keepNewlines"/> a '\n' stays (it separates lines of a
    /// message body) and a tab becomes a space.</summary>
    public static string Strip(string text, bool keepNewlines = false)
    {
        if (!text.Any(IsUnsafe))
        {
            return text;
        }

        var clean = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (keepNewlines && c == '\n')
            {
                clean.Append(c);
            }
            else if (c == '\t')
            {
                clean.Append(' ');
            }
            else if (!IsUnsafe(c))
            {
                clean.Append(c);
            }
        }

        return clean.ToString();
    }
}
