using Byot.Functions.Middleware;
using Byot.Shared.Problems;
using Byot.Shared.Scheduling;
using Xunit;

namespace Byot.Tests.Scheduling;

public sealed class ScheduleParserTests
{
    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("30s", "2026-05-03T10:30:04Z", "2026-05-03T10:30:30Z")]
    [InlineData("30s", "2026-05-03T10:30:30Z", "2026-05-03T10:31:00Z")]
    [InlineData("5m", "2026-05-03T10:31:00Z", "2026-05-03T10:35:00Z")]
    [InlineData("1h30m", "2026-05-03T10:31:00Z", "2026-05-03T12:00:00Z")]
    [InlineData("10s", "2026-05-03T10:30:09.999Z", "2026-05-03T10:30:10Z")]
    public void Intervals_fire_on_epoch_aligned_slots(string expression, string after, string expected) =>
        Assert.Equal(Utc(expected), ScheduleParser.Parse(expression, null, 10).NextAfter(Utc(after)));

    [Theory]
    [InlineData("*/5 * * * *", "2026-05-03T10:31:10Z", "2026-05-03T10:35:00Z")]
    [InlineData("0 */2 * * * *", "2026-05-03T10:31:10Z", "2026-05-03T10:32:00Z")]
    [InlineData("15 9 * * 1-5", "2026-05-02T00:00:00Z", "2026-05-04T09:15:00Z")]
    public void Cron_expressions_of_5_and_6_fields(string expression, string after, string expected) =>
        Assert.Equal(Utc(expected), ScheduleParser.Parse(expression, "UTC", 10).NextAfter(Utc(after)));

    [Fact]
    public void Daily_cron_in_a_time_zone_follows_the_clock_across_both_DST_changes()
    {
        var schedule = ScheduleParser.Parse("30 9 * * *", "Europe/Berlin", 10);

        // Summer time starts 2026-03-29 (UTC+1 -> UTC+2), ends 2026-10-25 (UTC+2 -> UTC+1).
        Assert.Equal(Utc("2026-03-28T08:30:00Z"), schedule.NextAfter(Utc("2026-03-28T00:00:00Z")));
        Assert.Equal(Utc("2026-03-29T07:30:00Z"), schedule.NextAfter(Utc("2026-03-29T00:00:00Z")));
        Assert.Equal(Utc("2026-10-25T08:30:00Z"), schedule.NextAfter(Utc("2026-10-25T00:00:00Z")));
    }

    [Fact]
    public void A_slot_inside_the_spring_gap_fires_once_right_after_it()
    {
        var schedule = ScheduleParser.Parse("30 2 * * *", "Europe/Berlin", 10);

        // 02:30 does not exist on 2026-03-29 in Berlin: the run happens at 03:00 local (01:00 UTC), once.
        var first = schedule.NextAfter(Utc("2026-03-28T23:00:00Z"));
        Assert.Equal(Utc("2026-03-29T01:00:00Z"), first);
        Assert.Equal(Utc("2026-03-30T00:30:00Z"), schedule.NextAfter(first));
    }

    [Fact]
    public void A_slot_inside_the_autumn_repeat_fires_once()
    {
        var schedule = ScheduleParser.Parse("30 2 * * *", "Europe/Berlin", 10);

        // 02:30 happens twice on 2026-10-25 in Berlin (00:30 and 01:30 UTC): one run, at the first.
        var first = schedule.NextAfter(Utc("2026-10-24T23:00:00Z"));
        Assert.Equal(Utc("2026-10-25T00:30:00Z"), first);
        Assert.Equal(Utc("2026-10-26T01:30:00Z"), schedule.NextAfter(first));
    }

    [Fact]
    public void An_every_minute_cron_keeps_firing_through_the_autumn_repeat()
    {
        var schedule = ScheduleParser.Parse("*/30 * * * *", "Europe/Berlin", 10);
        var slots = new List<DateTimeOffset>();
        var at = Utc("2026-10-24T23:45:00Z");
        while (at < Utc("2026-10-25T02:00:00Z"))
        {
            at = schedule.NextAfter(at);
            slots.Add(at);
        }

        // Real elapsed time between runs stays 30 minutes while the wall clock repeats an hour.
        Assert.All(slots.Zip(slots.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(30), pair.Second - pair.First));
    }

    [Theory]
    [InlineData("5s", null, "schedule", "minimum interval is 10 s")]
    [InlineData("*/5 * * * * *", null, "schedule", "minimum interval is 10 s")]
    [InlineData("0s", null, "schedule", "empty interval")]
    [InlineData("8d", null, "schedule", "longer than 7d")]
    [InlineData("* * *", null, "schedule", "5 or 6 fields")]
    [InlineData("61 * * * *", null, "schedule", "not a valid cron")]
    [InlineData("every day", null, "schedule", "5 or 6 fields")]
    [InlineData("", null, "schedule", "interval such as")]
    [InlineData("*/5 * * * *", "Mars/Olympus_Mons", "timezone", "IANA time zone")]
    [InlineData("5m", "Europe/Berlin", "timezone", "only applies to cron")]
    [InlineData("0 0 30 2 *", null, "schedule", "never fires")]
    public void Bad_schedules_are_refused_naming_the_field(string expression, string? zone, string field, string hint)
    {
        var problem = Assert.Throws<InvalidScheduleException>(() => ScheduleParser.Parse(expression, zone, 10));

        Assert.Equal(400, ProblemStatus.Of(problem));
        Assert.Equal(field, problem.Field);
        Assert.Contains(hint, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_minimum_interval_is_configurable() =>
        Assert.Equal("5s", ScheduleParser.Parse("5s", null, minIntervalSeconds: 5).Expression);
}
