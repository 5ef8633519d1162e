using System.Text.Json;
using System.Text.Json.Serialization;

namespace Byot.Shared.Queue;

/// <summary>A scheduler's message for several runs of one queue that become visible in the same second. A Runner
/// does not run it: it expands it into one <see cref="RunMessage"/> per run on the same queue and deletes it, so every
/// run keeps its own delivery, lease and conditional claim (a batch expanded twice only makes duplicates, which the
/// claim drops). It exists because one queue send per run bounded the scheduler's tick (docs/scale.md).</summary>
public sealed record RunBatchMessage([property: JsonPropertyName("runIds")] IReadOnlyList<Guid> RunIds)
{
    /// <summary>At most this many runs per message: about 1.3 KB of the queue's 64 KB, and a Runner expands it in one
    /// round of parallel sends.</summary>
    public const int MaxRuns = 32;

    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>Parses a queue message body; null when it is not a batch of valid run ids.</summary>
    public static RunBatchMessage? TryParse(string body)
    {
        try
        {
            var message = JsonSerializer.Deserialize<RunBatchMessage>(body);
            return message is { RunIds: { Count: > 0 and <= MaxRuns } ids } && ids.All(id => id != Guid.Empty) ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The run ids a message body carries, single or batch (empty when it is neither): for tools and tests
    /// that look at a queue.</summary>
    public static IReadOnlyList<Guid> RunIdsOf(string body) =>
        RunMessage.TryParse(body) is { } single ? [single.RunId] : TryParse(body)?.RunIds ?? [];
}
