using System.Globalization;
using System.Text;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Runs;

/// <summary>An opaque page cursor: the (queued_at, id) of the last run on the previous page.</summary>
internal static class RunCursor
{
    public static string Format(DateTimeOffset queuedAt, Guid id) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{queuedAt.UtcTicks}:{id:N}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static (DateTimeOffset QueuedAt, Guid Id) Parse(string cursor)
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - (base64.Length % 4)) % 4);
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(base64)).Split(':');
            return (new DateTimeOffset(long.Parse(parts[0], CultureInfo.InvariantCulture), TimeSpan.Zero), Guid.ParseExact(parts[1], "N"));
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentException)
        {
            throw P.InvalidField("cursor", "'cursor' is not a cursor this API issued; pass the 'next' value of the previous page.");
        }
    }
}
