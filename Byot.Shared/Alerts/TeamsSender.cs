using Byot.Shared.Domain.Alerting;
using System.Text;
using System.Text.Json.Nodes;
using Byot.Shared.Options;

namespace Byot.Shared.Alerts;

/// <summary>Microsoft Teams workflow webhook ("When a Teams webhook request is received"): a message carrying one
/// Adaptive Card.</summary>
public sealed class TeamsSender(AlertHttp http) : INotificationSender
{
    public AlertChannelType Type => AlertChannelType.Teams;

    public async Task<DeliveryResult> SendAsync(AlertChannelOptions channel, OutboxNotification notification, RenderedAlert message, CancellationToken cancellationToken) =>
        await http.PostJsonAsync(channel.Url!, Encoding.UTF8.GetBytes(Body(message).ToJsonString()), [], channel, cancellationToken);

    public static JsonObject Body(RenderedAlert message)
    {
        // Everything a test can influence is a TextRun: Adaptive Cards render Markdown in TextBlocks, never in runs.
        var blocks = new JsonArray
        {
            Run(message.Title, new JsonObject { ["size"] = "Medium", ["weight"] = "Bolder" }),
            Run(message.Text),
        };
        if (message.LogLines.Count > 0)
        {
            blocks.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = "Last log lines:", ["weight"] = "Bolder", ["wrap"] = true });
            blocks.Add(Run(string.Join('\n', message.LogLines), new JsonObject { ["fontType"] = "Monospace" }));
        }

        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = blocks,
        };
        if (message.RunUrl is not null)
        {
            card["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open the run", ["url"] = message.RunUrl });
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.card.adaptive",
                ["contentUrl"] = null,
                ["content"] = card,
            }),
        };
    }

    private static JsonObject Run(string text, JsonObject? style = null)
    {
        var run = new JsonObject { ["type"] = "TextRun", ["text"] = ChannelText.Teams(text) };
        foreach (var (key, value) in style ?? [])
        {
            run[key] = value?.DeepClone();
        }

        return new JsonObject { ["type"] = "RichTextBlock", ["inlines"] = new JsonArray(run) };
    }
}
