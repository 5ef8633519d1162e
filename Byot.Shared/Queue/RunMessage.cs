using System.Text.Json;
using System.Text.Json.Serialization;

namespace Byot.Shared.Queue;

/// <summary>The only thing on the queue: which run to execute. Postgres holds everything else.</summary>
public sealed record RunMessage([property: JsonPropertyName("runId")] Guid RunId)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>Parses a queue message body; null when it is not a valid run message.</summary>
    public static RunMessage? TryParse(string body)
    {
        try
        {
            var message = JsonSerializer.Deserialize<RunMessage>(body);
            return message is { RunId: var id } && id != Guid.Empty ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
