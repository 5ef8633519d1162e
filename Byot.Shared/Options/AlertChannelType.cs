namespace Byot.Shared.Options;

/// <summary>How a notification channel is reached.</summary>
public enum AlertChannelType
{
    /// <summary>PagerDuty Events API v2 (trigger and resolve with a stable dedup_key).</summary>
    PagerDuty,

    /// <summary>Slack incoming webhook.</summary>
    Slack,

    /// <summary>Microsoft Teams workflow webhook (an Adaptive Card in a message).</summary>
    Teams,

    /// <summary>Any HTTPS endpoint; the body is JSON, signed with HMAC-SHA256 over "timestamp.body".</summary>
    Webhook,

    /// <summary>Email over SMTP.</summary>
    Email,

    /// <summary>Opsgenie Alert API v2 (create with the incident's dedup key as alias, close on resolve).</summary>
    Opsgenie,

    /// <summary>Any receiver of Alertmanager's webhook format (version 4: status, groupKey, alerts[] with labels).</summary>
    Alertmanager,
}
