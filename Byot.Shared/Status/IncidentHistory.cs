namespace Byot.Shared.Status;

/// <summary>A flow's incident history as a row of UTC days ending today, oldest first. Pure: the incidents and the
/// clock come in.</summary>
public static class IncidentHistory
{
    public const int Days = 30;

    /// <summary>Each of the <see cref="Days"/> days up to and including <paramref name="now"/>'s, with the incidents
    /// open at some moment of it (an ongoing one is open up to now). An incident on two days is on both.</summary>
    public static IReadOnlyList<StatusDay> Build(IReadOnlyList<StatusIncident> incidents, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var days = new List<StatusDay>(Days);
        for (var i = Days - 1; i >= 0; i--)
        {
            var date = today.AddDays(-i);
            var from = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var until = from.AddDays(1);
            days.Add(new StatusDay(date, [.. incidents
                .Where(x => x.Start < until && (x.End ?? now) >= from)
                .OrderBy(x => x.Start).ThenBy(x => x.Id)
                .Select(x => x.Id)]));
        }

        return days;
    }

    /// <summary>Where the history starts: midnight UTC of its first day.</summary>
    public static DateTimeOffset Since(DateTimeOffset now) =>
        new(DateOnly.FromDateTime(now.UtcDateTime).AddDays(-(Days - 1)).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
