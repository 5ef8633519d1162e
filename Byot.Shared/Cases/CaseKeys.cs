using System.Globalization;
using System.Text;

namespace Byot.Shared.Cases;

/// <summary>The one rule that names a case across runs: suite and name, each with control characters and invalid
/// UTF-16 dropped, white space folded to single spaces, joined with " › ". Case-sensitive: test frameworks are.</summary>
public static class CaseKeys
{
    public const string Separator = " › ";

    public static string Clean(string text, int maxChars)
    {
        var builder = new StringBuilder(Math.Min(text.Length, maxChars));
        var space = false;
        for (var i = 0; i < text.Length && builder.Length < maxChars; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (builder.Length + 2 > maxChars)
                {
                    break;
                }

                Flush(builder, ref space);
                builder.Append(c).Append(text[++i]);
                continue;
            }

            if (char.IsSurrogate(c) || c == '\uFFFD')
            {
                continue;
            }

            if (char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Control)
            {
                space = builder.Length > 0;
                continue;
            }

            Flush(builder, ref space);
            builder.Append(c);
        }

        return builder.ToString();
    }

    public static string For(string suite, string name) => suite.Length == 0 ? name : suite + Separator + name;

    private static void Flush(StringBuilder builder, ref bool space)
    {
        if (space)
        {
            builder.Append(' ');
            space = false;
        }
    }
}
