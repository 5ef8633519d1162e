using System.Security.Cryptography;
using System.Text;
using Byot.Shared.Options;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Byot.Shared.Status;

/// <summary>Builds the green/red board from run history: only failed, timed_out and oom count against a flow (an
/// infrastructure error is not the flow's fault), and a flow is red once its consecutive failures reach its
/// threshold — the same rule that opens an incident.</summary>
public sealed class StatusService(NpgsqlDataSource dataSource, IOptions<StatusOptions> options, TimeProvider time)
{
    private const int RecentRuns = 30;
    private const int FlakyWindow = 20;

    /// <summary>Whether the page is open to anyone.</summary>
    public bool IsPublic => options.Value.Public;

    /// <summary>Whether a private page has a key at all; without one nobody can open it.</summary>
    public bool HasKey => !string.IsNullOrEmpty(options.Value.AccessKey);

    /// <summary>Whether a request may read the board: always when public, else with the configured key (header or
    /// form) or the cookie the form set.</summary>
    public bool Allows(string? presentedKey, string? presentedCookie = null)
    {
        var o = options.Value;
        if (o.Public)
        {
            return true;
        }

        return HasKey && (Same(presentedKey, o.AccessKey!) || Same(presentedCookie, CookieValue()));
    }

    /// <summary>What the form's cookie holds: a MAC of the key, not the key, so the cookie never reveals it and
    /// changing the key signs every browser out.</summary>
    public string CookieValue() =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.AccessKey ?? ""), "byot-status-cookie-v1"u8))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool Same(string? presented, string expected) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    public async Task<StatusBoard> BoardAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        await using var command = dataSource.CreateCommand($"""
            SELECT t.id, t.name, t.severity, t.enabled, t.failure_threshold,
                   coalesce(recent.statuses, ARRAY[]::text[]), last.finished_at, last.duration_ms,
                   up.day_passed, up.day_judged, up.week_passed, up.week_judged,
                   t.locations, coalesce(failing.locations, ARRAY[]::text[])
            FROM tests t
            LEFT JOIN LATERAL (
                SELECT array_agg(r.status ORDER BY r.finished_at DESC) AS statuses FROM (
                    SELECT status, finished_at FROM runs
                    WHERE test_id = t.id AND status IN ('passed', 'failed', 'timed_out', 'oom', 'infra_error')
                    ORDER BY finished_at DESC LIMIT {RecentRuns}) r
            ) recent ON true
            LEFT JOIN LATERAL (
                SELECT finished_at, duration_ms FROM runs
                WHERE test_id = t.id AND status IN ('passed', 'failed', 'timed_out', 'oom', 'infra_error')
                ORDER BY finished_at DESC LIMIT 1
            ) last ON true
            LEFT JOIN LATERAL (
                SELECT count(*) FILTER (WHERE status = 'passed' AND finished_at >= @now - interval '24 hours') AS day_passed,
                       count(*) FILTER (WHERE status IN ('passed', 'failed', 'timed_out', 'oom') AND finished_at >= @now - interval '24 hours') AS day_judged,
                       count(*) FILTER (WHERE status = 'passed') AS week_passed,
                       count(*) FILTER (WHERE status IN ('passed', 'failed', 'timed_out', 'oom')) AS week_judged
                FROM runs WHERE test_id = t.id AND finished_at >= @now - interval '7 days'
            ) up ON true
            LEFT JOIN LATERAL (
                SELECT array_agg(l.location ORDER BY l.location) AS locations FROM (
                    SELECT DISTINCT ON (location) location, status FROM runs
                    WHERE test_id = t.id AND status IN ('passed', 'failed', 'timed_out', 'oom') AND location = ANY(t.locations)
                    ORDER BY location, finished_at DESC) l
                WHERE l.status <> 'passed'
            ) failing ON true
            WHERE t.deleted_at IS NULL
            ORDER BY t.severity, t.name, t.id
            """);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        var flows = new List<FlowStatus>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var recent = reader.GetFieldValue<string[]>(5);
            var enabled = reader.GetBoolean(3);
            var threshold = reader.GetInt32(4);
            var judged = recent.Where(s => s != "infra_error").ToArray();
            var consecutive = judged.TakeWhile(s => s != "passed").Count();
            var flips = judged.Take(FlakyWindow).Zip(judged.Skip(1).Take(FlakyWindow - 1)).Count(p => (p.First == "passed") != (p.Second == "passed"));
            var flaky = flips >= o.FlakyFlips;
            var (state, reason) = Judge(enabled, judged.Length, consecutive, threshold, flaky);
            var locations = reader.GetFieldValue<string[]>(12);
            var failing = reader.GetFieldValue<string[]>(13);
            if (enabled && failing.Length > 0 && failing.Length < locations.Length)
            {
                // One region down is not the flow down: say where it fails.
                reason += $" (failing from {string.Join(", ", failing)} only)";
            }

            flows.Add(new FlowStatus(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), state.ToString().ToLowerInvariant(), reason, flaky,
                consecutive, threshold,
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetInt64(7),
                Ratio(reader.GetInt64(8), reader.GetInt64(9)), Ratio(reader.GetInt64(10), reader.GetInt64(11)),
                [.. recent.Reverse()])
            {
                Locations = locations,
                FailingLocations = failing,
            });
        }

        var overall = flows.Where(f => f.State != "grey").Select(f => f.State).DefaultIfEmpty("grey")
            .OrderBy(s => s switch { "red" => 0, "amber" => 1, "green" => 2, _ => 3 }).First();
        return new StatusBoard(o.Title, now, overall, o.RefreshSeconds, flows);
    }

    private static (FlowState State, string Reason) Judge(bool enabled, int judgedRuns, int consecutive, int threshold, bool flaky) =>
        !enabled ? (FlowState.Grey, "disabled")
        : judgedRuns == 0 ? (FlowState.Grey, "not run yet")
        : consecutive >= threshold ? (FlowState.Red, $"failing: {consecutive} failed runs in a row")
        : consecutive > 0 ? (FlowState.Amber, $"failing: {consecutive} of {threshold} failed runs before an incident")
        : flaky ? (FlowState.Amber, "passing, but flaky")
        : (FlowState.Green, "passing");

    private static double? Ratio(long passed, long judged) => judged == 0 ? null : (double)passed / judged;
}
