using System.Globalization;
using System.Text;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Runs;

/// <summary>An opaque page cursor: the (queued_at, id) of the last run on the previous page.</summary>
internal static class RunCursor
{
    // A cursor this API issues is 72 characters; anything much longer was not issued here.
    private const int MaxLength = 128;

    public static string Format(DateTimeOffset queuedAt, Guid id) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{queuedAt.UtcTicks}:{id:N}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Every way a cursor can be tampered with (bad base64, a huge or negative number, a missing part) is
    /// the client's error, never an overflow inside the server.</summary>
    public static (DateTimeOffset QueuedAt, Guid Id) Parse(string cursor)
    {
        if (cursor.Length <= MaxLength)
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - (base64.Length % 4)) % 4);
            var bytes = new byte[base64.Length];
            if (Convert.TryFromBase64String(base64, bytes, out var written)
                && Encoding.ASCII.GetString(bytes, 0, written).Split(':') is [var ticksText, var idText]
                && long.TryParse(ticksText, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
                && Guid.TryParseExact(idText, "N", out var id))
            {
                return (new DateTimeOffset(ticks, TimeSpan.Zero), id);
            }
        }

        throw P.InvalidField("cursor", "'cursor' is not a cursor this API issued; pass the 'next' value of the previous page.");
    }
}
