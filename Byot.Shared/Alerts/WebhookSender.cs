using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Byot.Shared.Domain.Alerting;
using Byot.Shared.Options;
using Byot.Shared.Storage;

namespace Byot.Shared.Alerts;

/// <summary>A generic JSON webhook signed like Stripe's and Slack's: <c>X-Byot-Timestamp</c> (Unix seconds) and
/// <c>X-Byot-Signature: sha256=hex(HMAC-SHA256(secret, timestamp + "." + body))</c>. Receivers recompute it, compare
/// in constant time and refuse old timestamps; <c>X-Byot-Delivery</c> stays the same across retries.</summary>
public sealed class WebhookSender(AlertHttp http, TimeProvider time) : INotificationSender
{
    public const string TimestampHeader = "X-Byot-Timestamp";
    public const string SignatureHeader = "X-Byot-Signature";
    public const string DeliveryHeader = "X-Byot-Delivery";
    public const string EventHeader = "X-Byot-Event";

    public AlertChannelType Type => AlertChannelType.Webhook;

    public async Task<DeliveryResult> SendAsync(AlertChannelOptions channel, OutboxNotification notification, RenderedAlert message, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(Body(notification, message).ToJsonString());
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return await http.PostJsonAsync(channel.Url!, body,
            [
                (TimestampHeader, timestamp),
                (SignatureHeader, Sign(channel.Secret!, timestamp, body)),
                (DeliveryHeader, notification.Id.ToString("D")),
                (EventHeader, notification.Kind),
            ],
            channel, cancellationToken);
    }

    public static string Sign(string secret, string timestamp, byte[] body)
    {
        var signed = new byte[Encoding.UTF8.GetByteCount(timestamp) + 1 + body.Length];
        var at = Encoding.UTF8.GetBytes(timestamp, signed);
        signed[at] = (byte)'.';
        body.CopyTo(signed, at + 1);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    public static JsonObject Body(OutboxNotification notification, RenderedAlert message)
    {
        var p = notification.Payload;
        var body = new JsonObject
        {
            ["event"] = notification.Kind,
            ["title"] = message.Title,
            ["text"] = message.Text,
            // An operator incident has no test severity; its kind says who it is for.
            ["severity"] = p.IncidentKind == Incident.OperatorKind ? Incident.OperatorKind : p.Severity,
            ["incident"] = p.IncidentId is null ? null : new JsonObject
            {
                ["id"] = p.IncidentId?.ToString("D"),
                ["kind"] = p.IncidentKind,
                ["dedupKey"] = p.DedupKey,
                ["failingSince"] = p.FailingSince?.ToString("O", CultureInfo.InvariantCulture),
                ["failureCount"] = p.FailureCount,
                ["reminder"] = p.Reminder,
                ["escalationStage"] = p.Stage > 0 ? p.Stage : null,
            },
            ["test"] = p.TestId is null ? null : new JsonObject { ["id"] = p.TestId?.ToString("D"), ["name"] = p.TestName },
            ["run"] = p.RunId is null ? null : new JsonObject
            {
                ["id"] = p.RunId?.ToString("D"),
                ["status"] = p.RunStatus,
                ["exitCode"] = p.ExitCode,
                ["error"] = p.Error,
                ["url"] = message.RunUrl,
            },
            ["logLines"] = new JsonArray([.. message.LogLines.Select(l => (JsonNode?)JsonValue.Create(l))]),
            ["digest"] = p.Digest is null ? null : JsonSerializer.SerializeToNode(p.Digest, AlertStore.Json),
            ["at"] = p.At.ToString("O", CultureInfo.InvariantCulture),
        };
        if (p.Cases is not null)
        {
            // The run's failing cases, for receivers that act on them; absent when the run reported none.
            body["cases"] = JsonSerializer.SerializeToNode(p.Cases, AlertStore.Json);
        }

        return body;
    }
}
