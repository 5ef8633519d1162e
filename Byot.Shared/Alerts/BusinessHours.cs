using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Byot.Shared.Options;

namespace Byot.Shared.Alerts;

/// <summary>The business-hours window in its own time zone: is a moment inside it, and when does it next open.</summary>
public sealed class BusinessHours
{
    private readonly TimeZoneInfo zone;
    private readonly HashSet<DayOfWeek> days;
    private readonly TimeSpan start;
    private readonly TimeSpan end;

    private BusinessHours(TimeZoneInfo zone, HashSet<DayOfWeek> days, TimeSpan start, TimeSpan end)
    {
        this.zone = zone;
        this.days = days;
        this.start = start;
        this.end = end;
    }

    public static BusinessHours Create(BusinessHoursOptions options) =>
        TryCreate(options, out var hours, out var error) ? hours : throw new InvalidOperationException(error);

    public static bool TryCreate(BusinessHoursOptions options, [NotNullWhen(true)] out BusinessHours? hours, [NotNullWhen(false)] out string? error)
    {
        hours = null;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out var zone))
        {
            error = $"TimeZone '{options.TimeZone}' is not a known time zone.";
            return false;
        }

        var days = new HashSet<DayOfWeek>();
        foreach (var day in AlertingOptions.SplitList(options.Days))
        {
            if (!Enum.TryParse<DayOfWeek>(day, ignoreCase: true, out var parsed) || int.TryParse(day, CultureInfo.InvariantCulture, out _))
            {
                error = $"Days: '{day}' is not a day of the week (Monday..Sunday).";
                return false;
            }

            days.Add(parsed);
        }

        if (days.Count == 0)
        {
            error = "Days names no day.";
            return false;
        }

        if (!TimeSpan.TryParseExact(options.Start, @"hh\:mm", CultureInfo.InvariantCulture, out var start)
            || !TimeSpan.TryParseExact(options.End, @"hh\:mm", CultureInfo.InvariantCulture, out var end)
            || end <= start)
        {
            error = $"Start '{options.Start}' and End '{options.End}' must be HH:mm with Start before End.";
            return false;
        }

        hours = new BusinessHours(zone, days, start, end);
        error = null;
        return true;
    }

    public bool IsOpen(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        return days.Contains(local.DayOfWeek) && local.TimeOfDay >= start && local.TimeOfDay < end;
    }

    /// <summary><paramref name="at"/> itself when the window is open, otherwise the moment it next opens.</summary>
    public DateTimeOffset NextOpen(DateTimeOffset at)
    {
        if (IsOpen(at))
        {
            return at;
        }

        var local = TimeZoneInfo.ConvertTime(at, zone);
        for (var i = 0; i <= 8; i++)
        {
            var date = local.Date.AddDays(i);
            if (!days.Contains(date.DayOfWeek))
            {
                continue;
            }

            var opening = date + start;
            if (zone.IsInvalidTime(opening))
            {
                opening = opening.AddHours(1);
            }

            var candidate = new DateTimeOffset(opening, zone.GetUtcOffset(opening));
            if (candidate > at)
            {
                return candidate.ToUniversalTime();
            }
        }

        throw new InvalidOperationException("Business hours name no day.");
    }
}
