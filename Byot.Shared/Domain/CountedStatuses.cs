namespace Byot.Shared.Domain;

/// <summary>Which results count for a test: the one definition behind streaks, incidents, flakiness, uptime and the
/// status page (SQL reads the same lists through <c>Storage/StatusSql</c>). infra_error is never the test's fault;
/// cancelled and skipped runs did not run it.</summary>
public static class CountedStatuses
{
    /// <summary>Results that count against a test.</summary>
    public static readonly IReadOnlyList<RunStatus> Failures = [RunStatus.Failed, RunStatus.TimedOut, RunStatus.Oom];

    /// <summary>Results that say something about the test: a pass or a failure.</summary>
    public static readonly IReadOnlyList<RunStatus> Counted = [RunStatus.Passed, .. Failures];

    /// <summary>Runs that ran to an end, the test's fault or not: what history and "last run" show.</summary>
    public static readonly IReadOnlyList<RunStatus> Ran = [.. Counted, RunStatus.InfraError];

    /// <summary>Results whose duration is the test's own: it passed or failed by itself (a timeout or an OOM kill cut
    /// the others short), what duration percentiles are taken over.</summary>
    public static readonly IReadOnlyList<RunStatus> OwnDuration = [RunStatus.Passed, RunStatus.Failed];

    /// <summary>Whether a result counts towards uptime: a counted result not recorded during a mute maintenance
    /// window (<c>in_maintenance</c>); planned work is not downtime. The one uptime definition (SQL:
    /// <c>StatusSql.UptimePassed</c>/<c>UptimeJudged</c>).</summary>
    public static bool CountsForUptime(this RunStatus status, bool inMaintenance) => status.IsCounted() && !inMaintenance;

    public static bool IsFailure(this RunStatus status) => Failures.Contains(status);

    public static bool IsCounted(this RunStatus status) => Counted.Contains(status);
}
