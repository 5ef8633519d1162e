using Byot.Shared.Domain;
using Byot.Shared.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Byot.Shared.Alerts;

/// <summary>Decides, in the transaction that records a run's result, what the result means: streaks, incidents
/// opened and resolved, flakiness, and infrastructure bursts. It only writes rows (incident events in the outbox);
/// routing to channels and delivery happen later, on the delivery side. It reads only non-secret policy settings
/// (ResolveAfterPasses, Flaky, Operator burst), so a runner needs no channel configuration.</summary>
public sealed partial class AlertEvaluator(
    IOptions<AlertingOptions> options,
    TimeProvider time,
    ILogger<AlertEvaluator> logger)
{
    // Enough runs for an operator to see the pattern; the count says how many there were in all.
    private const int BurstRunsListed = 10;

    public async Task EvaluateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid runId, CancellationToken cancellationToken)
    {
        var run = await AlertStore.ReadRunAsync(connection, transaction, runId, cancellationToken);
        if (run is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (run.Status == RunStatus.InfraError)
        {
            await OnInfraErrorAsync(connection, transaction, run, run.Error, now, cancellationToken);
        }
        else if (run.IsCounted)
        {
            await OnCountedAsync(connection, transaction, run, now, cancellationToken);
            await ResolveOperatorIncidentAsync(connection, transaction, run, now, cancellationToken);
        }
    }

    /// <summary>Pass/fail flips among recent results (newest first), and whether a retry passed right after a failure.</summary>
    public static (int Flips, bool PassedOnRetry) Flakiness(IReadOnlyList<(bool Failed, string Trigger)> recent)
    {
        var flips = 0;
        var passedOnRetry = false;
        for (var i = 0; i + 1 < recent.Count; i++)
        {
            if (recent[i].Failed != recent[i + 1].Failed)
            {
                flips++;
            }

            if (!recent[i].Failed && recent[i + 1].Failed && recent[i].Trigger == RunTrigger.Retry)
            {
                passedOnRetry = true;
            }
        }

        return (flips, passedOnRetry);
    }

    private async Task OnCountedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AlertRun run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var route = o.Route(run.Severity);
        var state = await AlertStore.LockStateAsync(connection, transaction, run.TestId, cancellationToken);
        var recent = await AlertStore.RecentCountedAsync(connection, transaction, run.TestId, o.Flaky.Window, cancellationToken);
        var (flips, passedOnRetry) = Flakiness(recent);
        var flaky = flips >= o.Flaky.MinFlips || passedOnRetry;
        if (flaky && !state.Flaky)
        {
            LogFlaky(run.TestId, flips);
        }

        var open = state.OpenIncidentId;
        int failures, passes;
        DateTimeOffset? since;
        if (run.IsFailure)
        {
            failures = state.ConsecutiveFailures + 1;
            passes = 0;
            since = state.FailingSince ?? now;
            if (open is { } openId)
            {
                await AlertStore.RecordFailureAsync(connection, transaction, openId, run.RunId, cancellationToken);
            }
            else if (failures >= run.FailureThreshold)
            {
                var id = Guid.NewGuid();
                var incident = await AlertStore.TryOpenIncidentAsync(connection, transaction,
                    new Incident(id, Incident.TestKind, run.TestId, run.Severity.ToString(), Incident.DedupKeyFor(id), since.Value, now,
                        run.RunId, failures, null, 0, null),
                    run.RunId, cancellationToken);
                if (incident is not null)
                {
                    open = incident.Id;
                    await NotificationPlanner.RecordEventAsync(connection, transaction, NotificationKind.Trigger, incident, run, null, now, cancellationToken);
                    LogOpened(incident.Id, run.TestId, run.Severity.ToString(), failures);
                }
            }
        }
        else
        {
            failures = 0;
            passes = state.ConsecutivePasses + 1;
            since = open is null ? null : state.FailingSince;
            if (open is { } openId && passes >= (run.ResolveAfterPasses ?? route.ResolveAfterPasses))
            {
                if (await AlertStore.ResolveIncidentAsync(connection, transaction, openId, run.RunId, now, cancellationToken)
                    && await AlertStore.FindIncidentAsync(connection, transaction, openId, cancellationToken) is { } incident)
                {
                    await NotificationPlanner.RecordEventAsync(connection, transaction, NotificationKind.Resolve, incident, run, null, now, cancellationToken);
                    LogResolved(openId, run.TestId);
                }

                open = null;
                since = null;
            }
        }

        await AlertStore.SaveStateAsync(connection, transaction,
            new AlertState(run.TestId, failures, passes, since, open, flaky, flips, run.RunId), cancellationToken);
    }

    /// <summary>For infra_error runs closed without a runner's result (expired leases): only the burst check.</summary>
    public async Task EvaluateInfraBurstAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string detail, CancellationToken cancellationToken) =>
        await OnInfraErrorAsync(connection, transaction, null, detail, time.GetUtcNow(), cancellationToken);

    /// <summary>infra_error is never the test's fault: its owners hear nothing and its streaks stay as they were.
    /// A burst of them opens one operator incident, whatever number of tests and runners are involved.</summary>
    private async Task OnInfraErrorAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AlertRun? run, string? latest, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var o = options.Value.Operator;
        var window = TimeSpan.FromMinutes(o.InfraErrorWindowMinutes);
        await AlertStore.LockInfraBurstAsync(connection, transaction, cancellationToken);
        var count = await AlertStore.CountInfraErrorsAsync(connection, transaction, window, cancellationToken);
        if (count < o.InfraErrorBurst)
        {
            return;
        }

        var id = Guid.NewGuid();
        var incident = await AlertStore.TryOpenIncidentAsync(connection, transaction,
            new Incident(id, Incident.OperatorKind, null, "P1", Incident.DedupKeyFor(id), now, now, run?.RunId, (int)count, null, 0, null),
            run?.RunId, cancellationToken);
        if (incident is null)
        {
            return;
        }

        var (runs, runners, since) = await AlertStore.ReadInfraBurstAsync(connection, transaction, window, BurstRunsListed, cancellationToken);
        var burst = new OperatorBurst(count, o.InfraErrorWindowMinutes, since ?? now, runs, runners, latest);
        await NotificationPlanner.RecordEventAsync(connection, transaction, NotificationKind.Trigger, incident, run, latest, now, cancellationToken, burst);
        LogOperatorOpened(incident.Id, count);
    }

    /// <summary>A run that ended on its own merits (passed or failed) shows the infrastructure works again.</summary>
    private async Task ResolveOperatorIncidentAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AlertRun run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await AlertStore.FindOpenOperatorIncidentAsync(connection, transaction, cancellationToken) is not { } incident
            || !await AlertStore.ResolveIncidentAsync(connection, transaction, incident.Id, run.RunId, now, cancellationToken))
        {
            return;
        }

        // The run that resolves it ended on its own merits: no error of its own belongs in the notice.
        await NotificationPlanner.RecordEventAsync(connection, transaction, NotificationKind.Resolve, incident, run with { Error = null }, null, now, cancellationToken);
        LogResolved(incident.Id, run.TestId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Incident {IncidentId} opened for test {TestId} ({Severity}) after {Failures} consecutive failures")]
    private partial void LogOpened(Guid incidentId, Guid testId, string severity, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident {IncidentId} resolved by a run of test {TestId}")]
    private partial void LogResolved(Guid incidentId, Guid testId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operator incident {IncidentId} opened: {Count} infra_error runs in the window")]
    private partial void LogOperatorOpened(Guid incidentId, long count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Test {TestId} marked flaky ({Flips} flips in its recent runs)")]
    private partial void LogFlaky(Guid testId, int flips);
}
