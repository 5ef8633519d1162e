using System.Text;
using System.Text.Json;

namespace Byot.Shared.Uploads;

/// <summary>Parses a command override: a JSON array of strings, or a shell-like line with quotes (no expansion).</summary>
public static class CommandLine
{
    public static IReadOnlyList<string>? Parse(string value, out string? error)
    {
        error = null;
        var text = value.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        if (text.StartsWith('['))
        {
            try
            {
                var items = JsonSerializer.Deserialize<string[]>(text);
                if (items is { Length: > 0 } && items.All(i => i is not null))
                {
                    return items;
                }
            }
            catch (JsonException)
            {
            }

            error = "must be a JSON array of strings such as [\"node\",\"/app/test.js\"] or a plain command line";
            return null;
        }

        return Split(text, out error);
    }

    private static List<string>? Split(string text, out string? error)
    {
        error = null;
        var args = new List<string>();
        var current = new StringBuilder();
        var inToken = false;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else if (c == '\\' && quote == '"' && i + 1 < text.Length && text[i + 1] is '"' or '\\')
                {
                    current.Append(text[++i]);
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inToken = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inToken)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    inToken = false;
                }
            }
            else
            {
                current.Append(c);
                inToken = true;
            }
        }

        if (quote is not null)
        {
            error = $"has an unclosed {quote} quote";
            return null;
        }

        if (inToken)
        {
            args.Add(current.ToString());
        }

        return args;
    }
}
