using Byot.Shared.Alerts;
using Microsoft.Azure.Functions.Worker;

namespace Byot.Functions.Timers;

/// <summary>Alert delivery: drains the outbox (with reminders) every 10 s, and writes the weekly digest on Monday
/// at 09:00 (UTC, or the app's WEBSITE_TIME_ZONE).</summary>
public sealed class AlertFunctions(AlertDeliveryService delivery, DigestService digest)
{
    public const string DeliverSchedule = "*/10 * * * * *";
    public const string DigestSchedule = "0 0 9 * * 1";

    [Function("DeliverAlerts")]
    public async Task Deliver([TimerTrigger(DeliverSchedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        await delivery.DeliverAsync(cancellationToken);

    [Function("WeeklyDigest")]
    public async Task Digest([TimerTrigger(DigestSchedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        await digest.EnqueueWeeklyAsync(cancellationToken);
        await delivery.DeliverAsync(cancellationToken);
    }
}
