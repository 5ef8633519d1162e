using System.Text.Json;
using System.Text.Json.Serialization;

namespace Byot.Shared.Queue;

/// <summary>What a runner is told when a run is queued: which queue, and from when the message can be received.</summary>
public sealed record RunWakeUp(
    [property: JsonPropertyName("queue")] string Queue,
    [property: JsonPropertyName("visibleAt")] DateTimeOffset VisibleAt)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>Null when the payload is not a wake-up (anything may NOTIFY the channel).</summary>
    public static RunWakeUp? TryParse(string payload)
    {
        try
        {
            var wakeUp = JsonSerializer.Deserialize<RunWakeUp>(payload);
            return wakeUp is { Queue.Length: > 0 } ? wakeUp : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
