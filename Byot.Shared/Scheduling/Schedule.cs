using Cronos;

namespace Byot.Shared.Scheduling;

/// <summary>A parsed schedule: a cron expression in a time zone, or a fixed interval. Interval slots are aligned
/// to the Unix epoch, so every scheduler instance computes the same slot times, across restarts too.</summary>
public sealed class Schedule
{
    private readonly CronExpression? cron;
    private readonly TimeZoneInfo zone;
    private readonly TimeSpan interval;

    private Schedule(string expression, CronExpression? cron, TimeSpan interval, TimeZoneInfo zone)
    {
        Expression = expression;
        this.cron = cron;
        this.interval = interval;
        this.zone = zone;
    }

    public string Expression { get; }

    public string TimeZone => zone.Id;

    public bool IsInterval => cron is null;

    public static Schedule FromCron(string expression, CronExpression cron, TimeZoneInfo zone) => new(expression, cron, TimeSpan.Zero, zone);

    public static Schedule FromInterval(string expression, TimeSpan interval) => new(expression, null, interval, TimeZoneInfo.Utc);

    /// <summary>The first slot strictly after <paramref name="after"/>, whole seconds, in UTC.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after)
    {
        if (cron is not null)
        {
            var occurrence = cron.GetNextOccurrence(after.ToUniversalTime(), zone, inclusive: false)
                ?? throw new InvalidOperationException($"Cron expression '{Expression}' has no future occurrence.");

            // Cronos answers in the zone's offset; Postgres (and every comparison here) wants UTC.
            return occurrence.ToUniversalTime();
        }

        var ticks = after.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var next = ((ticks / interval.Ticks) + 1) * interval.Ticks;
        return DateTimeOffset.UnixEpoch.AddTicks(next);
    }
}
