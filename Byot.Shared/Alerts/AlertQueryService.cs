using Byot.Shared.Runs;
using Byot.Shared.Storage;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Alerts;

/// <summary>Reads a test's alert state and incidents for the API.</summary>
public sealed class AlertQueryService(TestStore tests, AlertStore alerts, OutboxStore outbox)
{
    private const int RecentIncidents = 10;

    public async Task<TestAlertsView> GetAsync(string? testIdRaw, CancellationToken cancellationToken)
    {
        var id = Ids.Parse("test", testIdRaw);
        var test = await tests.FindAsync(id, cancellationToken) ?? throw P.NotFound("test", id);
        var state = await alerts.FindStateAsync(id, cancellationToken);
        var incidents = new List<IncidentView>();
        foreach (var incident in await alerts.IncidentsAsync(id, RecentIncidents, cancellationToken))
        {
            var notifications = await outbox.ListAsync(incident.Id, cancellationToken);
            incidents.Add(new IncidentView(
                incident.Id, incident.Severity, incident.DedupKey, incident.FailingSince, incident.OpenedAt, incident.ResolvedAt,
                incident.FailureCount, incident.RemindersSent,
                [.. notifications.Select(n => new NotificationView(n.Id, n.Kind, n.Channel, n.Status, n.Attempts, n.NextAttemptAt, n.LastStatusCode, n.LastError))]));
        }

        return new TestAlertsView(
            id, state?.Flaky ?? false, state?.Flips ?? 0, state?.ConsecutiveFailures ?? 0, state?.ConsecutivePasses ?? 0,
            state?.FailingSince, test.FailureThreshold, incidents.FirstOrDefault(i => i.ResolvedAt is null), incidents);
    }
}
