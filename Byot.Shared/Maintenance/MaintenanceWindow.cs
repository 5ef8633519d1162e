namespace Byot.Shared.Maintenance;

/// <summary>Planned work during which a test's failures page nobody (<c>mute</c>) or its scheduled runs are skipped
/// (<c>pause</c>). Either one-off (<see cref="StartsAt"/> to <see cref="EndsAt"/>) or recurring: a <see cref="Cron"/>
/// expression, or <see cref="Days"/> at <see cref="Start"/>, local to <see cref="TimeZone"/>, each occurrence lasting
/// <see cref="DurationMinutes"/> of elapsed time. It covers the tests it names and every test carrying one of its tags.</summary>
public sealed record MaintenanceWindow(
    Guid Id,
    string Name,
    string Mode,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    string? Cron,
    IReadOnlyList<string>? Days,
    string? Start,
    int? DurationMinutes,
    string TimeZone,
    IReadOnlyList<Guid> Tests,
    IReadOnlyList<string> Tags,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public const string Mute = "mute";
    public const string Pause = "pause";

    public static readonly IReadOnlyList<string> Modes = [Mute, Pause];

    /// <summary><c>once</c>, <c>cron</c> or <c>weekly</c>.</summary>
    public string Recurrence => StartsAt is not null ? "once" : Cron is not null ? "cron" : "weekly";

    public bool Covers(Guid testId, IReadOnlyCollection<string> testTags) =>
        Tests.Contains(testId) || Tags.Any(testTags.Contains);
}
