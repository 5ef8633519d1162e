using System.Security.Cryptography;
using System.Text;
using Byot.Shared.Domain;
using Byot.Shared.Domain.Alerting;
using Byot.Shared.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Byot.Shared.Status;

/// <summary>Builds the green/red board from run history: only failed, timed_out and oom count against a flow (an
/// infrastructure error is not the flow's fault), a flow is red once its consecutive failures reach its
/// threshold — the same rule that opens an incident — and flaky is the one <see cref="FlakyRule"/> alerts use.</summary>
public sealed class StatusService(NpgsqlDataSource dataSource, IOptions<StatusOptions> options, IOptions<AlertingOptions> alerting, TimeProvider time)
{
    private const int RecentRuns = 30;

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
        var flakyRule = alerting.Value.Flaky.Rule();
        var now = time.GetUtcNow();
        await using var command = dataSource.CreateCommand($"""
            SELECT t.id, t.name, t.severity, t.enabled, t.failure_threshold,
                   coalesce(recent.statuses, ARRAY[]::text[]), last.finished_at, last.duration_ms,
                   up.day_passed, up.day_judged, up.week_passed, up.week_judged,
                   coalesce(flaky.failed, ARRAY[]::boolean[]), coalesce(flaky.triggers, ARRAY[]::text[])
            FROM tests t
            LEFT JOIN LATERAL (
                SELECT array_agg(r.status ORDER BY r.finished_at DESC) AS statuses FROM (
                    SELECT status, finished_at FROM runs
                    WHERE test_id = t.id AND status IN {StatusSql.Ran}
                    ORDER BY finished_at DESC LIMIT {RecentRuns}) r
            ) recent ON true
            LEFT JOIN LATERAL (
                SELECT finished_at, duration_ms FROM runs
                WHERE test_id = t.id AND status IN {StatusSql.Ran}
                ORDER BY finished_at DESC LIMIT 1
            ) last ON true
            LEFT JOIN LATERAL (
                SELECT count(*) FILTER (WHERE status = {StatusSql.Passed} AND finished_at >= @now - interval '24 hours') AS day_passed,
                       count(*) FILTER (WHERE status IN {StatusSql.Counted} AND finished_at >= @now - interval '24 hours') AS day_judged,
                       count(*) FILTER (WHERE status = {StatusSql.Passed}) AS week_passed,
                       count(*) FILTER (WHERE status IN {StatusSql.Counted}) AS week_judged
                FROM runs WHERE test_id = t.id AND finished_at >= @now - interval '7 days'
            ) up ON true
            LEFT JOIN LATERAL (
                SELECT array_agg(c.failed ORDER BY {StatusSql.RecentOrder}) AS failed, array_agg(c.trigger ORDER BY {StatusSql.RecentOrder}) AS triggers
                FROM ({StatusSql.RecentCounted("t.id", "@flaky_window")}) c
            ) flaky ON true
            WHERE t.deleted_at IS NULL
            ORDER BY t.severity, t.name, t.id
            """);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        command.Parameters.AddWithValue("flaky_window", flakyRule.Window);
        var flows = new List<FlowStatus>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var recent = reader.GetFieldValue<string[]>(5);
            var enabled = reader.GetBoolean(3);
            var threshold = reader.GetInt32(4);
            var judged = recent.Select(RunStatuses.Parse).Where(s => s.IsCounted()).ToArray();
            var consecutive = judged.TakeWhile(s => s.IsFailure()).Count();
            var failed = reader.GetFieldValue<bool[]>(12);
            var triggers = reader.GetFieldValue<string[]>(13);
            var flaky = flakyRule.Judge([.. failed.Zip(triggers, (f, t) => new CountedResult(f, t))]).Flaky;
            var (state, reason) = Judge(enabled, judged.Length, consecutive, threshold, flaky);
            flows.Add(new FlowStatus(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), state.ToString().ToLowerInvariant(), reason, flaky,
                consecutive, threshold,
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetInt64(7),
                Ratio(reader.GetInt64(8), reader.GetInt64(9)), Ratio(reader.GetInt64(10), reader.GetInt64(11)),
                [.. recent.Reverse()]));
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
