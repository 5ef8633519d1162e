namespace Byot.Shared.Alerts;

/// <summary>How one attempt to send went. <see cref="Retryable"/> failures (429, 5xx, timeouts, refused
/// connections) go back to the outbox with backoff; the others (400 and friends) are recorded as failed.</summary>
public sealed record DeliveryResult(bool Success, bool Retryable, int? StatusCode, string? Error, TimeSpan? RetryAfter = null)
{
    public static DeliveryResult Sent(int? statusCode) => new(true, false, statusCode, null);

    public static DeliveryResult Transient(int? statusCode, string error, TimeSpan? retryAfter = null) => new(false, true, statusCode, error, retryAfter);

    public static DeliveryResult Permanent(int? statusCode, string error) => new(false, false, statusCode, error);
}
