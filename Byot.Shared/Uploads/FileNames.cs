using System.Text;

namespace Byot.Shared.Uploads;

/// <summary>Turns a client's file name into a safe single path segment: no directories, no dots-only names,
/// nothing outside [A-Za-z0-9._-].</summary>
public static class FileNames
{
    public const int MaxLength = 100;
    public const string Fallback = "artifact";

    public static string Sanitize(string? clientName)
    {
        if (string.IsNullOrWhiteSpace(clientName))
        {
            return Fallback;
        }

        var last = clientName.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        var builder = new StringBuilder(Math.Min(last.Length, MaxLength));
        foreach (var c in last)
        {
            if (builder.Length == MaxLength)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }

        var name = builder.ToString().TrimStart('.');
        return name.Length == 0 || name.All(c => c == '_') ? Fallback : name;
    }
}
