using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Byot.Shared.Domain;
using Byot.Shared.Domain.Alerting;
using Byot.Shared.Options;

namespace Byot.Shared.Alerts;

/// <summary>Opsgenie Alert API v2: a trigger (or an escalation) creates the alert with the incident's stable dedup
/// key as <c>alias</c>, so a retry or a second create is deduplicated by Opsgenie into the same alert; a resolve closes
/// it by alias. The key goes in <c>Authorization: GenieKey …</c>.</summary>
public sealed class OpsgenieSender(AlertHttp http) : INotificationSender
{
    public const string UsUrl = "https://api.opsgenie.com";
    public const string EuUrl = "https://api.eu.opsgenie.com";

    // Opsgenie's own limits; longer values are refused with a 422.
    private const int MaxMessage = 130;
    private const int MaxDescription = 15_000;

    public AlertChannelType Type => AlertChannelType.Opsgenie;

    public async Task<DeliveryResult> SendAsync(AlertChannelOptions channel, OutboxNotification notification, RenderedAlert message, CancellationToken cancellationToken)
    {
        var alias = notification.Payload.DedupKey ?? notification.DedupKey;
        var baseUrl = BaseUrl(channel);
        var headers = new[] { ("Authorization", "GenieKey " + channel.ApiKey) };
        if (notification.Kind == NotificationKind.Resolve)
        {
            var close = new JsonObject { ["source"] = "BYOT", ["note"] = ControlCharacters.Strip(message.Title) };
            return await http.PostJsonAsync($"{baseUrl}/v2/alerts/{Uri.EscapeDataString(alias)}/close?identifierType=alias",
                Encoding.UTF8.GetBytes(close.ToJsonString()), headers, channel, cancellationToken);
        }

        if (notification.Kind is not (NotificationKind.Trigger or NotificationKind.Escalation))
        {
            return DeliveryResult.Permanent(null, $"Opsgenie takes triggers, escalations and resolves only, not '{notification.Kind}' notifications.");
        }

        return await http.PostJsonAsync(baseUrl + "/v2/alerts", Encoding.UTF8.GetBytes(Body(notification, message).ToJsonString()), headers, channel, cancellationToken);
    }

    public static string BaseUrl(AlertChannelOptions channel) =>
        (channel.Url ?? (channel.Region == "EU" ? EuUrl : UsUrl)).TrimEnd('/');

    /// <summary>BYOT's P0..P3 are Opsgenie's P1..P4 (P5, "informational", is never used); an operator incident is
    /// stored as P1 and so is Opsgenie P2.</summary>
    public static string Priority(string severity) => severity switch
    {
        "P0" => "P1",
        "P1" => "P2",
        "P2" => "P3",
        _ => "P4",
    };

    public static JsonObject Body(OutboxNotification notification, RenderedAlert message)
    {
        var p = notification.Payload;
        var description = new StringBuilder(ControlCharacters.Strip(message.Text, keepNewlines: true));
        if (message.LogLines.Count > 0)
        {
            description.Append("\n\nLast log lines:\n").AppendJoin('\n', message.LogLines.Select(l => ControlCharacters.Strip(l)));
        }

        var title = ControlCharacters.Strip(message.Title);
        var details = new JsonObject { ["incident_id"] = p.IncidentId?.ToString("D") };
        Add(details, "test_id", p.TestId?.ToString("D"));
        Add(details, "failing_since", p.FailingSince?.ToString("O", CultureInfo.InvariantCulture));
        Add(details, "failure_count", p.FailureCount.ToString(CultureInfo.InvariantCulture));
        Add(details, "last_run_status", p.RunStatus);
        Add(details, "exit_code", p.ExitCode?.ToString(CultureInfo.InvariantCulture));
        Add(details, "run_url", message.RunUrl);
        Add(details, "escalation_stage", p.Stage > 0 ? p.Stage.ToString(CultureInfo.InvariantCulture) : null);
        var tags = new JsonArray("byot", p.IncidentKind == Incident.OperatorKind ? "byot-operator" : "severity:" + p.Severity);
        if (p.Stage > 0)
        {
            tags.Add("escalated");
        }

        return new JsonObject
        {
            ["message"] = title.Length > MaxMessage ? title[..(MaxMessage - 1)] + "…" : title,
            ["alias"] = p.DedupKey ?? notification.DedupKey,
            ["description"] = description.Length > MaxDescription ? description.ToString(0, MaxDescription - 1) + "…" : description.ToString(),
            ["tags"] = tags,
            ["priority"] = Priority(p.Severity),
            ["source"] = "BYOT",
            ["entity"] = p.TestName ?? "byot-runner",
            ["details"] = details,
        };
    }

    private static void Add(JsonObject details, string key, string? value)
    {
        if (value is not null)
        {
            details[key] = ControlCharacters.Strip(value);
        }
    }
}
