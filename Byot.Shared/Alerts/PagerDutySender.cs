using System.Globalization;
using System.Text.Json.Nodes;
using Byot.Shared.Domain.Alerting;
using Byot.Shared.Options;

namespace Byot.Shared.Alerts;

/// <summary>PagerDuty Events API v2: <c>trigger</c> and <c>resolve</c> with the incident's stable dedup_key, so a
/// retried or repeated trigger never opens a second PagerDuty incident.</summary>
public sealed class PagerDutySender(AlertHttp http) : INotificationSender
{
    public const string DefaultUrl = "https://events.pagerduty.com/v2/enqueue";

    public AlertChannelType Type => AlertChannelType.PagerDuty;

    public async Task<DeliveryResult> SendAsync(AlertChannelOptions channel, OutboxNotification notification, RenderedAlert message, CancellationToken cancellationToken)
    {
        var body = Body(channel, notification, message);
        if (body is null)
        {
            return DeliveryResult.Permanent(null, $"PagerDuty takes triggers, escalations and resolves only, not '{notification.Kind}' notifications.");
        }

        return await http.PostJsonAsync(channel.Url ?? DefaultUrl, System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()), [], channel, cancellationToken);
    }

    public static JsonObject? Body(AlertChannelOptions channel, OutboxNotification notification, RenderedAlert message)
    {
        var p = notification.Payload;
        var dedupKey = p.DedupKey ?? notification.DedupKey;
        if (notification.Kind == NotificationKind.Resolve)
        {
            return new JsonObject
            {
                ["routing_key"] = channel.RoutingKey,
                ["event_action"] = "resolve",
                ["dedup_key"] = dedupKey,
            };
        }

        // An escalation is a trigger on the stage's own service (its routing key), under the same dedup_key.
        if (notification.Kind is not (NotificationKind.Trigger or NotificationKind.Escalation))
        {
            return null;
        }

        var details = new JsonObject
        {
            ["test_id"] = p.TestId?.ToString("D"),
            ["failing_since"] = p.FailingSince?.ToString("O", CultureInfo.InvariantCulture),
            ["consecutive_failures"] = p.FailureCount,
            ["last_run_status"] = p.RunStatus,
            ["exit_code"] = p.ExitCode,
            ["error"] = p.Error,
            ["run_url"] = message.RunUrl,
            ["last_log_lines"] = string.Join('\n', message.LogLines),
        };
        if (p.Cases is { } cases)
        {
            details["failing_cases"] = AlertRenderer.CasesLine(cases);
        }

        if (p.IncidentKind == Incident.OperatorKind)
        {
            // Which runs, which runners, since when: the operator's page has no test to look at instead.
            details["text"] = message.Text;
        }

        var body = new JsonObject
        {
            ["routing_key"] = channel.RoutingKey,
            ["event_action"] = "trigger",
            ["dedup_key"] = dedupKey,
            ["payload"] = new JsonObject
            {
                ["summary"] = message.Title.Length > 1024 ? message.Title[..1024] : message.Title,
                ["source"] = "byot",
                ["severity"] = channel.Urgency == "low" ? "warning" : "critical",
                ["timestamp"] = (p.FailingSince ?? p.At).ToString("O", CultureInfo.InvariantCulture),
                ["component"] = p.TestName ?? "byot-runner",
                ["group"] = p.IncidentKind == Incident.OperatorKind ? "byot-operator" : "byot-" + p.Severity,
                ["class"] = p.RunStatus ?? p.IncidentKind,
                ["custom_details"] = details,
            },
            ["client"] = "BYOT",
        };
        if (message.RunUrl is not null)
        {
            body["client_url"] = message.RunUrl;
            body["links"] = new JsonArray(new JsonObject { ["href"] = message.RunUrl, ["text"] = "The failing run in BYOT" });
        }

        return body;
    }
}
