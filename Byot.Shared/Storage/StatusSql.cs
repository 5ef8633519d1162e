using Byot.Shared.Domain;
using Byot.Shared.Domain.Alerting;
using Npgsql;

namespace Byot.Shared.Storage;

/// <summary>The SQL side of <see cref="CountedStatuses"/>, built from it, so every query (uptime, incidents, stats,
/// status page, alerts) counts the same runs. Each list is a parenthesised SQL list for <c>status IN …</c>.</summary>
internal static class StatusSql
{
    public static readonly string Failures = List(CountedStatuses.Failures);

    public static readonly string Counted = List(CountedStatuses.Counted);

    public static readonly string Ran = List(CountedStatuses.Ran);

    public static readonly string OwnDuration = List(CountedStatuses.OwnDuration);

    public static readonly string Passed = Literal(RunStatus.Passed);

    /// <summary>The runs uptime is taken over (<see cref="CountedStatuses.CountsForUptime"/>), a condition on a row of
    /// <c>runs</c>: counted results outside mute maintenance windows.</summary>
    public static readonly string UptimeJudged = $"(status IN {Counted} AND NOT in_maintenance)";

    /// <summary>The runs of <see cref="UptimeJudged"/> that passed: uptime is their share.</summary>
    public static readonly string UptimePassed = $"(status = {Passed} AND NOT in_maintenance)";

    /// <summary>Newest first: the order <see cref="RecentCounted"/> returns, for aggregates over it.</summary>
    public const string RecentOrder = "queued_at DESC, id DESC";

    /// <summary>The counted runs of the test <paramref name="testId"/> (a column or parameter), newest first, at most
    /// <paramref name="limit"/>: columns <c>failed</c> and <c>trigger</c> (what <see cref="FlakyRule"/> judges), then
    /// <c>queued_at</c> and <c>id</c> (<see cref="RecentOrder"/>), then <c>flaky</c> (passed on a retry). Only runs of
    /// the artifact content (sha256) the test has now: a new version starts its flaky score afresh, as cases do
    /// (<see cref="CaseQueries"/>); re-uploading the same content keeps the history. The subquery's aliases are
    /// unusual so that a <paramref name="testId"/> naming an outer column (<c>t.id</c>) still binds outside.</summary>
    public static string RecentCounted(string testId, string limit) => $"""
        SELECT status <> {Passed} AS failed, trigger, queued_at, id, flaky FROM runs
        WHERE test_id = {testId} AND status IN {Counted}
          AND artifact_version IN (
              SELECT rc_same.version FROM tests rc_test
              JOIN test_artifacts rc_now ON rc_now.test_id = rc_test.id AND rc_now.version = rc_test.artifact_version
              JOIN test_artifacts rc_same ON rc_same.test_id = rc_now.test_id AND rc_same.sha256 = rc_now.sha256
              WHERE rc_test.id = {testId})
        ORDER BY {RecentOrder}
        LIMIT {limit}
        """;

    /// <summary>Reads the rows of <see cref="RecentCounted"/>, in order.</summary>
    public static async Task<List<CountedResult>> ReadRecentCountedAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var recent = new List<CountedResult>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            recent.Add(new CountedResult(reader.GetBoolean(0), reader.GetString(1), reader.GetBoolean(4)));
        }

        return recent;
    }

    private static string List(IEnumerable<RunStatus> statuses) => "(" + string.Join(", ", statuses.Select(Literal)) + ")";

    private static string Literal(RunStatus status) => "'" + status.ToName() + "'";
}
