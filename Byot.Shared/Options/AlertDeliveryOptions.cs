namespace Byot.Shared.Options;

/// <summary>How the outbox is delivered. The outbox is the durable retry; in-process retries only smooth over blips.</summary>
public sealed class AlertDeliveryOptions
{
    /// <summary>Notifications claimed per pass.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Attempts before a notification is recorded as failed (429, 5xx, timeouts); other 4xx fail at once.</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>Delay after the first failed attempt; doubles each attempt up to <see cref="MaxDelaySeconds"/>.</summary>
    public int BaseDelaySeconds { get; set; } = 15;

    public int MaxDelaySeconds { get; set; } = 1_800;

    /// <summary>Per-attempt timeout of one request or SMTP conversation.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Quick retries inside one delivery attempt (Polly) before falling back to the outbox's backoff.</summary>
    public int InProcessRetries { get; set; } = 1;

    public int InProcessRetryDelayMilliseconds { get; set; } = 500;

    /// <summary>A claimed notification is not picked up by another instance for this long (a crash mid-send).</summary>
    public int ClaimSeconds { get; set; } = 120;
}
