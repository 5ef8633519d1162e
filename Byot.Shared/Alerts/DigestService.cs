using Byot.Shared.Domain.Alerting;
using System.Globalization;
using Byot.Shared.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Alerts;

/// <summary>The weekly digest: incidents of digest-only severities (P3 by default) open at any time in the past
/// seven days, and the tests marked flaky. Written to the outbox once per week and channel, whichever instance
/// ticks; nothing is sent in a quiet week.</summary>
public sealed class DigestService(AlertStore alerts, IOptions<AlertingOptions> options, TimeProvider time)
{
    public async Task<int> EnqueueWeeklyAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var severities = Enum.GetValues<Domain.Severity>().Where(s => o.Route(s).DigestOnly).Select(s => s.ToString()).ToList();
        var entries = await alerts.DigestAsync(severities, now.AddDays(-7), now, cancellationToken);
        if (entries.Count == 0 || o.Digest.ChannelNames.Count == 0)
        {
            return 0;
        }

        var week = now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var payload = new AlertPayload(NotificationKind.Digest, NotificationKind.Digest, null, null, null, null, "P3", null, 0,
            null, null, null, null, null, 0, now, Digest: entries);
        await using var connection = await alerts.DataSource.OpenConnectionAsync(cancellationToken);
        var written = 0;
        foreach (var channel in o.Digest.ChannelNames)
        {
            if (await AlertStore.EnqueueAsync(connection, null,
                new OutboxNotification(Guid.NewGuid(), null, NotificationKind.Digest, channel, $"digest:{week}:{channel}", payload, "pending", 0, now, null, null),
                cancellationToken))
            {
                written++;
            }
        }

        return written;
    }
}
