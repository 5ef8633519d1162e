using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Byot.Shared.Domain;
using Byot.Shared.Domain.Alerting;
using Byot.Shared.Options;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Alerts;

/// <summary>Alertmanager's webhook receiver format (version 4), so anything that receives from Alertmanager (its
/// integrations, a relay, a team's own receiver) receives from BYOT: one group per incident, holding one alert, which
/// fires on trigger, reminder and escalation and resolves on resolve. Its fingerprint and groupKey stay the same
/// for the incident's whole life, as Alertmanager's do for one alert.</summary>
public sealed class AlertmanagerSender(AlertHttp http, IOptions<AlertingOptions> options) : INotificationSender
{
    /// <summary>What Alertmanager writes as <c>endsAt</c> of an alert that is still firing.</summary>
    public const string StillFiring = "0001-01-01T00:00:00Z";

    public AlertChannelType Type => AlertChannelType.Alertmanager;

    public async Task<DeliveryResult> SendAsync(AlertChannelOptions channel, OutboxNotification notification, RenderedAlert message, CancellationToken cancellationToken)
    {
        if (notification.Kind == NotificationKind.Digest)
        {
            return DeliveryResult.Permanent(null, "An Alertmanager receiver takes alerts, not the weekly digest.");
        }

        IReadOnlyList<(string, string)> headers = channel.BearerToken is { Length: > 0 } token ? [("Authorization", "Bearer " + token)] : [];
        var body = Body(notification.Channel, notification, message, options.Value.PublicBaseUrl);
        return await http.PostJsonAsync(channel.Url!, Encoding.UTF8.GetBytes(body.ToJsonString()), headers, channel, cancellationToken);
    }

    /// <summary>16 hex digits, like Alertmanager's label fingerprints, derived from the incident's dedup key.</summary>
    public static string Fingerprint(string dedupKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dedupKey)).AsSpan(0, 8));

    public static JsonObject Body(string receiver, OutboxNotification notification, RenderedAlert message, string publicBaseUrl)
    {
        var p = notification.Payload;
        var dedupKey = p.DedupKey ?? notification.DedupKey;
        var resolved = notification.Kind == NotificationKind.Resolve;
        var status = resolved ? "resolved" : "firing";
        var baseUrl = publicBaseUrl.TrimEnd('/');

        var labels = new JsonObject
        {
            ["alertname"] = p.IncidentKind == Incident.OperatorKind ? "ByotInfraErrorBurst" : "ByotTestFailing",
            ["severity"] = p.IncidentKind == Incident.OperatorKind ? Incident.OperatorKind : p.Severity,
            ["incident"] = dedupKey,
            ["source"] = "byot",
        };
        if (p.TestName is not null)
        {
            labels["test"] = ControlCharacters.Strip(p.TestName);
            labels["test_id"] = p.TestId?.ToString("D");
        }

        var description = new StringBuilder(ControlCharacters.Strip(message.Text, keepNewlines: true));
        if (message.LogLines.Count > 0)
        {
            description.Append("\n\nLast log lines:\n").AppendJoin('\n', message.LogLines.Select(l => ControlCharacters.Strip(l)));
        }

        var annotations = new JsonObject
        {
            ["summary"] = ControlCharacters.Strip(message.Title),
            ["description"] = description.ToString(),
        };
        if (message.RunUrl is not null)
        {
            annotations["run_url"] = message.RunUrl;
        }

        if (p.Stage > 0)
        {
            annotations["escalation_stage"] = p.Stage.ToString(CultureInfo.InvariantCulture);
        }

        var alert = new JsonObject
        {
            ["status"] = status,
            ["labels"] = labels.DeepClone(),
            ["annotations"] = annotations.DeepClone(),
            ["startsAt"] = Rfc3339(p.FailingSince ?? p.At),
            ["endsAt"] = resolved ? Rfc3339(p.At) : StillFiring,
            ["generatorURL"] = message.RunUrl ?? (p.IncidentId is { } id ? $"{baseUrl}/incidents/{id:D}" : baseUrl),
            ["fingerprint"] = Fingerprint(dedupKey),
        };

        return new JsonObject
        {
            ["version"] = "4",
            ["groupKey"] = $"{{}}:{{incident=\"{dedupKey}\"}}",
            ["truncatedAlerts"] = 0,
            ["status"] = status,
            ["receiver"] = receiver,
            ["groupLabels"] = new JsonObject { ["incident"] = dedupKey },
            ["commonLabels"] = labels,
            ["commonAnnotations"] = annotations,
            ["externalURL"] = baseUrl,
            ["alerts"] = new JsonArray(alert),
        };
    }

    private static string Rfc3339(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
