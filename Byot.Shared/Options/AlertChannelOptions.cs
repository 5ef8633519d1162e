namespace Byot.Shared.Options;

/// <summary>One named destination, for example <c>Byot:Alerts:Channels:oncall</c>. Which fields apply depends on
/// <see cref="Type"/>; <see cref="AlertingOptions"/> checks them at start.</summary>
public sealed class AlertChannelOptions
{
    public AlertChannelType Type { get; set; }

    /// <summary>Endpoint for HTTP channels. PagerDuty defaults to the public Events API v2 endpoint.</summary>
    public string? Url { get; set; }

    /// <summary>PagerDuty integration (routing) key.</summary>
    public string? RoutingKey { get; set; }

    /// <summary>PagerDuty: <c>high</c> sends severity <c>critical</c>, <c>low</c> sends <c>warning</c>; with the
    /// service's "urgency based on severity" rule these page at high and low urgency.</summary>
    public string Urgency { get; set; } = "high";

    /// <summary>Opsgenie: the API integration's key, sent as <c>Authorization: GenieKey …</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Opsgenie: <c>US</c> (api.opsgenie.com) or <c>EU</c> (api.eu.opsgenie.com); <see cref="Url"/>, when
    /// set, replaces the base URL.</summary>
    public string Region { get; set; } = "US";

    /// <summary>Alertmanager-format receiver: an optional bearer token (<c>Authorization: Bearer …</c>), as
    /// Alertmanager's own <c>http_config.authorization</c> sends it.</summary>
    public string? BearerToken { get; set; }

    /// <summary>Generic webhook: the HMAC-SHA256 key.</summary>
    public string? Secret { get; set; }

    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 25;

    public bool SmtpSsl { get; set; }

    public string? SmtpUser { get; set; }

    public string? SmtpPassword { get; set; }

    public string? From { get; set; }

    /// <summary>Email recipients, comma-separated.</summary>
    public string? To { get; set; }

    /// <summary>Per-attempt timeout; the delivery default when unset.</summary>
    public int? TimeoutSeconds { get; set; }
}
