using System.Text.Json;
using Byot.Shared.Options;
using Byot.Shared.Runs;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Alerts;

/// <summary>Reads a test's alert state and incidents for the API, and changes its alert policy.</summary>
public sealed class AlertQueryService(TestStore tests, AlertStore alerts, OutboxStore outbox, RunQueries runs, IOptions<AlertingOptions> options)
{
    private const int RecentIncidents = 10;
    private const int MaxThreshold = 1_000;
    private const int MaxReminderMinutes = 7 * 24 * 60;
    private static readonly string[] PolicyFields = ["failureThreshold", "reminderMinutes", "resolveAfterPasses"];

    public async Task<TestAlertsView> GetAsync(string? testIdRaw, CancellationToken cancellationToken)
    {
        var id = Ids.Parse("test", testIdRaw);
        var test = await tests.FindAsync(id, cancellationToken) ?? throw P.NotFound("test", id);
        var policy = await alerts.PolicyOverridesAsync(id, cancellationToken);
        var route = options.Value.Route(test.Severity);
        var state = await alerts.FindStateAsync(id, cancellationToken);
        // Judged now over the current artifact's window, as the stats and the status page judge it: the stored state
        // is as of the last result, so it would still say flaky right after a new version was uploaded.
        var rule = options.Value.Flaky.Rule();
        var flaky = rule.Judge(await runs.RecentCountedAsync(id, rule.Window, cancellationToken));
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
            id, test.Severity.ToString(), flaky.Flaky, flaky.Flips, state?.ConsecutiveFailures ?? 0, state?.ConsecutivePasses ?? 0,
            state?.FailingSince, test.FailureThreshold, policy.ReminderMinutes ?? (route.DigestOnly ? 0 : route.ReminderMinutes),
            policy.ResolveAfterPasses ?? route.ResolveAfterPasses, incidents.FirstOrDefault(i => i.ResolvedAt is null), incidents);
    }

    /// <summary>A JSON merge patch of the test's alert policy: <c>failureThreshold</c> (1-1000),
    /// <c>reminderMinutes</c> and <c>resolveAfterPasses</c> (a number, or null for the severity's default).</summary>
    public async Task<TestAlertsView> UpdatePolicyAsync(string? testIdRaw, JsonElement patch, CancellationToken cancellationToken)
    {
        var id = Ids.Parse("test", testIdRaw);
        if (patch.ValueKind != JsonValueKind.Object)
        {
            throw P.BadRequest("Malformed update", "Send a JSON object such as {\"failureThreshold\": 3, \"reminderMinutes\": 30}.");
        }

        foreach (var property in patch.EnumerateObject())
        {
            if (!PolicyFields.Contains(property.Name, StringComparer.Ordinal))
            {
                throw P.InvalidField(property.Name, $"'{property.Name}' is not part of the alert policy; fields: {string.Join(", ", PolicyFields)}.", PolicyFields);
            }
        }

        var threshold = patch.TryGetProperty("failureThreshold", out var t) ? Number(t, "failureThreshold", 1, MaxThreshold, nullable: false) : null;
        var (setReminder, reminder) = patch.TryGetProperty("reminderMinutes", out var r) ? (true, Number(r, "reminderMinutes", 1, MaxReminderMinutes, nullable: true)) : (false, null);
        var (setResolve, resolve) = patch.TryGetProperty("resolveAfterPasses", out var p) ? (true, Number(p, "resolveAfterPasses", 1, MaxThreshold, nullable: true)) : (false, null);
        if (!await alerts.UpdatePolicyAsync(id, threshold, setReminder, reminder, setResolve, resolve, cancellationToken))
        {
            throw P.NotFound("test", id);
        }

        return await GetAsync(testIdRaw, cancellationToken);
    }

    private static int? Number(JsonElement value, string field, int min, int max, bool nullable) =>
        value.ValueKind switch
        {
            JsonValueKind.Null when nullable => null,
            JsonValueKind.Number when value.TryGetInt32(out var n) && n >= min && n <= max => n,
            _ => throw P.InvalidField(field, $"'{field}' must be a whole number from {min} to {max}{(nullable ? ", or null for the severity's default" : "")}."),
        };
}
