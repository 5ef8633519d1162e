using Byot.Shared.Domain.Alerting;
using System.Text;
using System.Text.Json.Nodes;
using Byot.Shared.Options;

namespace Byot.Shared.Alerts;

/// <summary>Slack incoming webhook: one mrkdwn message.</summary>
public sealed class SlackSender(AlertHttp http) : INotificationSender
{
    public AlertChannelType Type => AlertChannelType.Slack;

    public async Task<DeliveryResult> SendAsync(AlertChannelOptions channel, OutboxNotification notification, RenderedAlert message, CancellationToken cancellationToken) =>
        await http.PostJsonAsync(channel.Url!, Encoding.UTF8.GetBytes(Body(message).ToJsonString()), [], channel, cancellationToken);

    public static JsonObject Body(RenderedAlert message)
    {
        var text = new StringBuilder().Append('*').Append(ChannelText.Slack(message.Title)).Append("*\n").Append(ChannelText.Slack(message.Text));
        if (message.LogLines.Count > 0)
        {
            text.Append("\nLast log lines:\n```\n").AppendJoin('\n', message.LogLines.Select(ChannelText.Slack)).Append("\n```");
        }

        return new JsonObject { ["text"] = text.ToString() };
    }
}
