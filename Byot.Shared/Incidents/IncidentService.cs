using Byot.Shared.Alerts;
using Byot.Shared.Domain.Alerting;
using Byot.Shared.Runs;
using Byot.Shared.Storage;
using Microsoft.Extensions.Logging;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Incidents;

/// <summary>Lists and reads incidents with their timeline; acknowledges them (reminders stop) and resolves them by
/// hand (a recovery notice goes out on the same dedup key, so PagerDuty closes its incident too).</summary>
public sealed partial class IncidentService(IncidentStore store, DependencyStore dependencies, UnitOfWorkFactory units, TimeProvider time, ILogger<IncidentService> logger)
{
    public async Task<IncidentPage> ListAsync(IncidentFilter filter, CancellationToken cancellationToken)
    {
        var page = await store.ListAsync(filter, filter.Limit + 1, cancellationToken);
        var next = page.Count > filter.Limit ? RunCursor.Format(page[filter.Limit - 1].OpenedAt, page[filter.Limit - 1].Id) : null;
        return new IncidentPage([.. page.Take(filter.Limit)], next);
    }

    public async Task<IncidentDetail> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var incident = await store.FindAsync(id, cancellationToken) ?? throw P.NotFound("incident", id);
        var runs = incident.OpenedByRunId is { } opener && incident.Kind == Incident.TestKind
            ? await store.FailingRunsAsync(opener, cancellationToken)
            : [];
        var notifications = await store.NotificationsAsync(id, cancellationToken);
        var events = await store.EventsAsync(id, cancellationToken);
        var dependents = (await dependencies.DependentsAsync(id, cancellationToken))
            .Select(d => new IncidentDependent(d.TestId, d.Name, d.JoinedAt, d.JoinedByRunId, d.RecoveredAt, d.RecoveredByRunId)).ToList();
        return new IncidentDetail(incident, runs, IncidentTimeline.Build(incident, runs, notifications, events, dependents)) { Dependents = dependents };
    }

    /// <summary>Someone is on it: reminders stop. Acknowledging twice keeps the first acknowledgement.</summary>
    public async Task<IncidentDetail> AcknowledgeAsync(Guid id, IncidentAction action, CancellationToken cancellationToken)
    {
        await using (var unit = await units.BeginAsync(cancellationToken))
        {
            var incident = await IncidentStore.LockAsync(unit, id, cancellationToken) ?? throw P.NotFound("incident", id);
            if (incident.ResolvedAt is not null)
            {
                throw IncidentProblems.AlreadyResolved(incident);
            }

            if (await IncidentStore.AcknowledgeAsync(unit, id, action, time.GetUtcNow(), cancellationToken))
            {
                LogAcknowledged(id, action.By);
            }

            await unit.CommitAsync(cancellationToken);
        }

        return await GetAsync(id, cancellationToken);
    }

    /// <summary>Closes the incident by hand, with a note, and tells every channel that heard of it, as a passing run
    /// would. The result's transaction and this one lock the same rows, so exactly one of them resolves it.</summary>
    public async Task<IncidentDetail> ResolveAsync(Guid id, IncidentAction action, CancellationToken cancellationToken)
    {
        await using (var unit = await units.BeginAsync(cancellationToken))
        {
            var incident = await IncidentStore.LockAsync(unit, id, cancellationToken) ?? throw P.NotFound("incident", id);
            var now = time.GetUtcNow();
            if (!await IncidentStore.ResolveByHandAsync(unit, id, action, now, cancellationToken))
            {
                throw IncidentProblems.AlreadyResolved(incident);
            }

            var lastRun = incident.LastRunId is { } runId ? await AlertStore.ReadRunAsync(unit, runId, cancellationToken) : null;
            var resolved = new Incident(
                incident.Id, incident.Kind, incident.TestId, incident.Severity, incident.DedupKey, incident.FailingSince, incident.OpenedAt,
                incident.LastRunId, incident.FailureCount, null, incident.RemindersSent, now);
            var payload = AlertPayload.For(NotificationKind.Resolve, resolved, lastRun, null, now) with
            {
                TestName = incident.Kind == Incident.TestKind ? incident.TestName : null,
                RunId = null,
                RunStatus = null,
                ExitCode = null,
                Error = null,
                ResolutionNote = action.Note,
                ResolvedBy = action.By,
            };
            await AlertStore.EnqueueAsync(unit, new OutboxNotification(
                Guid.NewGuid(), id, NotificationKind.Resolve, NotificationPlanner.RouteChannel, $"{incident.DedupKey}:{NotificationKind.Resolve}",
                payload, "pending", 0, now, null, null), cancellationToken);
            await unit.CommitAsync(cancellationToken);
            LogResolved(id, action.By);
        }

        return await GetAsync(id, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident {IncidentId} acknowledged by {By}")]
    private partial void LogAcknowledged(Guid incidentId, string? by);

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident {IncidentId} resolved by hand by {By}")]
    private partial void LogResolved(Guid incidentId, string? by);
}
