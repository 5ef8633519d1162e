using Byot.Shared.Maintenance;
using Xunit;

namespace Byot.Tests.Maintenance;

/// <summary>When windows are in force, in memory: one-off bounds, weekly and cron windows in a zone, and the two
/// daylight-saving changes (Europe/Berlin: 29 March 2026 02:00 → 03:00, 25 October 2026 03:00 → 02:00).</summary>
public sealed class MaintenanceCalendarTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_one_off_window_is_in_force_from_its_start_until_just_before_its_end()
    {
        var w = Window(startsAt: Utc(2026, 12, 5, 22, 0), endsAt: Utc(2026, 12, 6, 1, 0));

        Assert.Null(MaintenanceCalendar.ActiveAt(w, Utc(2026, 12, 5, 21, 59)));
        Assert.Equal(Utc(2026, 12, 5, 22, 0), MaintenanceCalendar.ActiveAt(w, Utc(2026, 12, 5, 22, 0))!.Start);
        Assert.NotNull(MaintenanceCalendar.ActiveAt(w, Utc(2026, 12, 6, 0, 59)));
        Assert.Null(MaintenanceCalendar.ActiveAt(w, Utc(2026, 12, 6, 1, 0)));
        Assert.Equal(Utc(2026, 12, 5, 22, 0), MaintenanceCalendar.NextAfter(w, Utc(2026, 12, 1, 0, 0))!.Start);
        Assert.Null(MaintenanceCalendar.NextAfter(w, Utc(2026, 12, 5, 22, 0)));
    }

    [Fact]
    public void A_weekly_window_starts_at_its_local_time_in_winter_and_in_summer()
    {
        var w = Window(days: ["saturday"], start: "22:00", minutes: 120, zone: "Europe/Berlin");

        Assert.Equal(new MaintenanceOccurrence(Utc(2026, 1, 10, 21, 0), Utc(2026, 1, 10, 23, 0)), MaintenanceCalendar.NextAfter(w, Utc(2026, 1, 5, 0, 0)));
        Assert.Equal(new MaintenanceOccurrence(Utc(2026, 7, 11, 20, 0), Utc(2026, 7, 11, 22, 0)), MaintenanceCalendar.NextAfter(w, Utc(2026, 7, 6, 0, 0)));
        Assert.Equal(
            [Utc(2026, 3, 7, 21, 0), Utc(2026, 3, 14, 21, 0), Utc(2026, 3, 21, 21, 0), Utc(2026, 3, 28, 21, 0), Utc(2026, 4, 4, 20, 0)],
            MaintenanceCalendar.Between(w, Utc(2026, 3, 1, 0, 0), Utc(2026, 4, 5, 0, 0)).Select(o => o.Start));
    }

    [Fact]
    public void A_start_in_the_spring_gap_begins_when_the_gap_ends_and_lasts_its_duration()
    {
        var weekly = Window(days: ["sunday"], start: "02:30", minutes: 60, zone: "Europe/Berlin");
        var cron = Window(cron: "30 2 * * 0", minutes: 60, zone: "Europe/Berlin");

        // 02:30 does not exist on 29 March: 03:00 CEST is 01:00 UTC.
        var expected = new MaintenanceOccurrence(Utc(2026, 3, 29, 1, 0), Utc(2026, 3, 29, 2, 0));
        Assert.Equal(expected, MaintenanceCalendar.NextAfter(weekly, Utc(2026, 3, 28, 0, 0)));
        Assert.Equal(expected, MaintenanceCalendar.NextAfter(cron, Utc(2026, 3, 28, 0, 0)));
    }

    [Fact]
    public void A_start_the_autumn_clock_passes_twice_begins_once_at_the_first()
    {
        var weekly = Window(days: ["sunday"], start: "02:30", minutes: 60, zone: "Europe/Berlin");
        var cron = Window(cron: "30 2 * * 0", minutes: 60, zone: "Europe/Berlin");

        // 02:30 CEST (00:30 UTC), not 02:30 CET an hour later; and only one occurrence that day.
        foreach (var w in new[] { weekly, cron })
        {
            var day = MaintenanceCalendar.Between(w, Utc(2026, 10, 24, 12, 0), Utc(2026, 10, 25, 12, 0)).ToList();
            Assert.Equal([new MaintenanceOccurrence(Utc(2026, 10, 25, 0, 30), Utc(2026, 10, 25, 1, 30))], day);
        }
    }

    [Fact]
    public void A_window_across_the_change_lasts_its_elapsed_duration()
    {
        // Saturday 23:00 CET for four hours: 22:00 to 02:00 UTC, which the clock reads as 04:00 CEST.
        var w = Window(days: ["saturday"], start: "23:00", minutes: 240, zone: "Europe/Berlin");

        Assert.Equal(new MaintenanceOccurrence(Utc(2026, 3, 28, 22, 0), Utc(2026, 3, 29, 2, 0)), MaintenanceCalendar.ActiveAt(w, Utc(2026, 3, 29, 1, 59)));
        Assert.Null(MaintenanceCalendar.ActiveAt(w, Utc(2026, 3, 29, 2, 0)));
    }

    [Fact]
    public void A_window_that_began_before_the_range_is_still_found_while_it_lasts()
    {
        var w = Window(days: ["monday", "wednesday"], start: "23:30", minutes: 90, zone: "America/New_York");

        // Monday 23:30 EST is Tuesday 04:30 UTC; at 05:30 UTC it is still on.
        var active = MaintenanceCalendar.ActiveAt(w, Utc(2026, 1, 6, 5, 30));

        Assert.Equal(new MaintenanceOccurrence(Utc(2026, 1, 6, 4, 30), Utc(2026, 1, 6, 6, 0)), active);
        Assert.Equal(Utc(2026, 1, 8, 4, 30), MaintenanceCalendar.NextAfter(w, Utc(2026, 1, 6, 5, 30))!.Start);
    }

    [Fact]
    public void Covers_the_tests_it_names_and_every_test_carrying_one_of_its_tags()
    {
        var named = Guid.NewGuid();
        var w = Window(startsAt: Utc(2026, 12, 5, 22, 0), endsAt: Utc(2026, 12, 6, 1, 0)) with { Tests = [named], Tags = ["service:checkout"] };

        Assert.True(w.Covers(named, []));
        Assert.True(w.Covers(Guid.NewGuid(), ["team:a", "service:checkout"]));
        Assert.False(w.Covers(Guid.NewGuid(), ["service:search"]));
    }

    private static MaintenanceWindow Window(
        DateTimeOffset? startsAt = null, DateTimeOffset? endsAt = null, string? cron = null, string[]? days = null, string? start = null,
        int? minutes = null, string zone = "UTC") =>
        new(Guid.NewGuid(), "window", MaintenanceWindow.Mute, startsAt, endsAt, cron, days, start, minutes, zone, [], ["x"], Created, Created);

    private static DateTimeOffset Utc(int y, int mo, int d, int h, int mi) => new(y, mo, d, h, mi, 0, TimeSpan.Zero);
}
