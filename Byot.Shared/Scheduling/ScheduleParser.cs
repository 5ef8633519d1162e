using System.Globalization;
using System.Text.RegularExpressions;
using Byot.Shared.Problems;
using Cronos;

namespace Byot.Shared.Scheduling;

/// <summary>Parses what users write: <c>30s</c>, <c>5m</c>, <c>1h30m</c>, or a 5- or 6-field cron expression with
/// an IANA time zone. Every refusal names the field and gives an example.</summary>
public static partial class ScheduleParser
{
    public const string ScheduleField = "schedule";
    public const string TimeZoneField = "timezone";

    private const string Examples = "an interval such as 30s, 5m, 1h or 1h30m, or a cron expression such as '*/5 * * * *' (5 fields) or '0 */2 * * * *' (6 fields, with seconds)";

    public static Schedule Parse(string expression, string? timeZone, int minIntervalSeconds)
    {
        var text = expression.Trim();
        if (text.Length is 0 or > 200)
        {
            throw new InvalidScheduleException(ScheduleField, $"'schedule' must be {Examples}.");
        }

        var zone = ParseZone(timeZone);
        var schedule = Interval().Match(text) is { Success: true } match
            ? FromInterval(text, match)
            : FromCron(text, zone);

        if (schedule.IsInterval && zone != TimeZoneInfo.Utc)
        {
            throw new InvalidScheduleException(TimeZoneField, "A time zone only applies to cron expressions; leave it out for an interval.");
        }

        CheckMinimumGap(schedule, minIntervalSeconds);
        return schedule;
    }

    private static Schedule FromInterval(string text, Match match)
    {
        var total = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = part.Value[^1];
            if (!long.TryParse(part.Value.AsSpan(0, part.Value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount > 10_000_000)
            {
                throw new InvalidScheduleException(ScheduleField, $"'{text}' is too large; the longest interval is 7d.");
            }

            total += unit switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
        }

        if (total <= TimeSpan.Zero)
        {
            throw new InvalidScheduleException(ScheduleField, $"'{text}' is an empty interval; use {Examples}.");
        }

        return total > TimeSpan.FromDays(7)
            ? throw new InvalidScheduleException(ScheduleField, $"'{text}' is longer than 7d; use a cron expression for rarer runs.")
            : Schedule.FromInterval(text, total);
    }

    private static Schedule FromCron(string text, TimeZoneInfo zone)
    {
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6))
        {
            throw new InvalidScheduleException(ScheduleField, $"'{Clip(text)}' is neither an interval nor a cron expression of 5 or 6 fields; use {Examples}.");
        }

        try
        {
            var cron = CronExpression.Parse(text, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            return cron.GetNextOccurrence(DateTimeOffset.UtcNow, zone) is null
                ? throw new InvalidScheduleException(ScheduleField, $"'{Clip(text)}' never fires.")
                : Schedule.FromCron(text, cron, zone);
        }
        catch (CronFormatException e)
        {
            throw new InvalidScheduleException(ScheduleField, $"'{Clip(text)}' is not a valid cron expression ({e.Message}); use {Examples}.");
        }
    }

    private static TimeZoneInfo ParseZone(string? timeZone)
    {
        var id = timeZone?.Trim();
        if (string.IsNullOrEmpty(id) || id == "UTC")
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return id.Length <= 64 ? TimeZoneInfo.FindSystemTimeZoneById(id) : throw new TimeZoneNotFoundException();
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new InvalidScheduleException(TimeZoneField, $"'{Clip(id)}' is not an IANA time zone; use a name such as UTC, Europe/Berlin or America/New_York.");
        }
    }

    private static void CheckMinimumGap(Schedule schedule, int minIntervalSeconds)
    {
        var minimum = TimeSpan.FromSeconds(minIntervalSeconds);
        var at = DateTimeOffset.UtcNow;
        for (var i = 0; i < 5; i++)
        {
            var next = schedule.NextAfter(at);
            if (i > 0 && next - at < minimum)
            {
                throw new InvalidScheduleException(ScheduleField,
                    $"'{Clip(schedule.Expression)}' fires every {(next - at).TotalSeconds:0} s; the minimum interval is {minIntervalSeconds} s.");
            }

            at = next;
        }
    }

    private static string Clip(string value) => value.Length <= 60 ? value : value[..60] + "…";

    [GeneratedRegex("^(?<part>[0-9]{1,8}[smhd]){1,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex Interval();
}
