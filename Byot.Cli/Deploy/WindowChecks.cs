using System.Globalization;

namespace Byot.Cli.Deploy;

/// <summary>The checks byot.yaml's maintenance windows get before anything is applied, so a bad window stops the
/// deploy with its place in the file instead of half-way. The API checks every window again, whole (cron syntax, day
/// names, lengths), and names the field it refuses.</summary>
internal static class WindowChecks
{
    private static readonly string[] Modes = ["mute", "pause"];

    public static void Check(DeployWindow window, string where, HashSet<string> names)
    {
        if (string.IsNullOrWhiteSpace(window.Name))
        {
            throw CliException.BadInput($"{where}: 'name' is required; windows are matched with the server's by name.");
        }

        if (!names.Add(window.Name))
        {
            throw CliException.BadInput($"{where}: the name '{window.Name}' is used twice; names identify maintenance windows.");
        }

        if (window.Mode is not null && !Modes.Contains(window.Mode, StringComparer.Ordinal))
        {
            throw CliException.BadInput($"{where}: mode '{window.Mode}' must be mute (nothing pages) or pause (scheduled runs are skipped).");
        }

        var oneOff = window.StartsAt is not null || window.EndsAt is not null;
        var recurring = window.Cron is not null || window.Days is not null || window.Start is not null || window.DurationMinutes is not null;
        if (oneOff == recurring)
        {
            throw CliException.BadInput(oneOff
                ? $"{where}: a window is either one-off (startsAt and endsAt) or recurring (cron, or days and start, with durationMinutes), not both."
                : $"{where}: say when: startsAt and endsAt for a one-off window, or cron (or days and start) with durationMinutes for a recurring one.");
        }

        if (oneOff)
        {
            var starts = Instant(window.StartsAt, "startsAt", where);
            if (Instant(window.EndsAt, "endsAt", where) <= starts)
            {
                throw CliException.BadInput($"{where}: 'endsAt' must be after 'startsAt'.");
            }
        }
        else
        {
            if (window.Cron is not null && (window.Days is not null || window.Start is not null))
            {
                throw CliException.BadInput($"{where}: a recurring window takes either 'cron' or 'days' and 'start', not both.");
            }

            if (window.Cron is null && (window.Days is not { Count: > 0 } || window.Start is null))
            {
                throw CliException.BadInput($"{where}: a weekly window needs days (such as [saturday, sunday]) and start (local time, such as \"02:00\").");
            }

            if (window.DurationMinutes is null)
            {
                throw CliException.BadInput($"{where}: 'durationMinutes' is required for a recurring window (how long each occurrence lasts).");
            }
        }

        if (window.Timezone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(window.Timezone, out _))
        {
            throw CliException.BadInput($"{where}: timezone '{window.Timezone}' is not an IANA time zone; use a name such as Europe/Berlin or UTC.");
        }

        if (window.Tests is not { Count: > 0 } && window.Tags is not { Count: > 0 })
        {
            throw CliException.BadInput($"{where}: say which tests the window covers: 'tests' (names or ids) and/or 'tags' (such as [service:checkout]).");
        }
    }

    private static DateTimeOffset Instant(string? text, string field, string where) =>
        text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) && text.Contains('T', StringComparison.Ordinal)
            ? at
            : throw CliException.BadInput($"{where}: '{field}' {(text is null ? "is missing" : $"'{text}' is not an RFC 3339 time")}: give both startsAt and endsAt, such as 2026-12-05T22:00:00Z.");
}
