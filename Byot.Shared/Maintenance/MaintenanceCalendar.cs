using Cronos;

namespace Byot.Shared.Maintenance;

/// <summary>When a window is in force. Pure. A recurring window's start is local time in its zone; across a daylight
/// saving change its occurrence lasts its duration of elapsed time. A start that falls in the spring gap begins when
/// the gap ends (as a cron slot there runs right after it); a start that happens twice in the autumn begins at the
/// first of the two.</summary>
public static class MaintenanceCalendar
{
    // Far enough to find the next occurrence of any weekly or yearly cron window.
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(400);

    /// <summary>The occurrences overlapping [<paramref name="from"/>, <paramref name="to"/>), earliest first.</summary>
    public static IEnumerable<MaintenanceOccurrence> Between(MaintenanceWindow window, DateTimeOffset from, DateTimeOffset to)
    {
        if (window.StartsAt is { } once && window.EndsAt is { } end)
        {
            return once < to && end > from ? [new MaintenanceOccurrence(once.ToUniversalTime(), end.ToUniversalTime())] : [];
        }

        var duration = TimeSpan.FromMinutes(window.DurationMinutes ?? 0);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(window.TimeZone);
        var starts = window.Cron is { } cron
            ? CronExpression.Parse(cron, cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard)
                .GetOccurrences((from - duration).UtcDateTime, to.UtcDateTime, zone, fromInclusive: false, toInclusive: false)
                .Select(s => new DateTimeOffset(s, TimeSpan.Zero))
            : Weekly(window.Days ?? [], TimeOnly.Parse(window.Start ?? "00:00", System.Globalization.CultureInfo.InvariantCulture), zone, from - duration, to);
        return starts.Select(s => new MaintenanceOccurrence(s, s + duration)).Where(o => o.End > from && o.Start < to);
    }

    /// <summary>The occurrence in force at <paramref name="at"/>, if any.</summary>
    public static MaintenanceOccurrence? ActiveAt(MaintenanceWindow window, DateTimeOffset at) =>
        Between(window, at, at.AddTicks(1)).FirstOrDefault();

    /// <summary>The first occurrence starting after <paramref name="after"/>, within about a year.</summary>
    public static MaintenanceOccurrence? NextAfter(MaintenanceWindow window, DateTimeOffset after) =>
        Between(window, after, after + Horizon).FirstOrDefault(o => o.Start > after);

    /// <summary>The day's start, local to the zone, as a UTC instant: after the gap when it falls in one, the first of
    /// the two when the clock passes it twice.</summary>
    public static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Real zones move their clocks on whole minutes, so the first valid minute is where the gap ends.
            var after = local;
            while (zone.IsInvalidTime(after))
            {
                after = after.AddMinutes(1);
            }

            after = new DateTime(after.Year, after.Month, after.Day, after.Hour, after.Minute, 0, DateTimeKind.Unspecified);
            return new DateTimeOffset(after - zone.GetUtcOffset(after), TimeSpan.Zero);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local - offset, TimeSpan.Zero);
    }

    private static IEnumerable<DateTimeOffset> Weekly(IReadOnlyList<string> days, TimeOnly start, TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to)
    {
        var wanted = days.Select(d => Enum.Parse<DayOfWeek>(d, ignoreCase: true)).ToHashSet();
        var first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime).AddDays(-1);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(to, zone).DateTime).AddDays(1);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (!wanted.Contains(day.DayOfWeek))
            {
                continue;
            }

            var at = ToUtc(day.ToDateTime(start), zone);
            if (at > from && at < to)
            {
                yield return at;
            }
        }
    }
}
