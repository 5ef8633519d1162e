using Byot.Shared.Domain.Alerting;
using Byot.Shared.Options;

namespace Byot.Shared.Alerts;

/// <summary>Sends one notification over one kind of channel. Throws nothing for the endpoint's answers: they come
/// back as a <see cref="DeliveryResult"/>.</summary>
public interface INotificationSender
{
    AlertChannelType Type { get; }

    Task<DeliveryResult> SendAsync(AlertChannelOptions channel, OutboxNotification notification, RenderedAlert message, CancellationToken cancellationToken);
}
