using System.Buffers.Binary;
using System.Globalization;

namespace Byot.Shared.Locations;

/// <summary>Which storage queue carries a run: one set of <c>shards</c> queues per location, the shard from the test
/// id, so every run of a test goes to the same queue whichever instance sends it.</summary>
public static class QueueShards
{
    public const int MaxShards = 64;

    /// <summary>A stable shard: the test id's first four bytes (a v4 UUID's random part), modulo the count. Never
    /// <see cref="Guid.GetHashCode"/>, which need not agree between processes or versions.</summary>
    public static int ShardOf(Guid testId, int shards)
    {
        Span<byte> bytes = stackalloc byte[16];
        testId.TryWriteBytes(bytes);
        return (int)(BinaryPrimitives.ReadUInt32LittleEndian(bytes) % (uint)shards);
    }

    /// <summary>The default location's shard 0 is the plain runs queue (<c>byot-runs</c>), so a single-location,
    /// single-shard install keeps the queue it always had; others are <c>byot-runs-eu-west</c>,
    /// <c>byot-runs-3</c>, <c>byot-runs-eu-west-3</c>.</summary>
    public static string QueueName(string runsQueue, string location, int shard) =>
        (location == LocationNames.Default ? runsQueue : runsQueue + "-" + location)
        + (shard == 0 ? "" : "-" + shard.ToString(CultureInfo.InvariantCulture));

    public static string QueueFor(string runsQueue, string location, Guid testId, int shards) =>
        QueueName(runsQueue, location, ShardOf(testId, shards));

    /// <summary>Every queue a Runner of <paramref name="location"/> receives from: the current shards and, while a
    /// shard count is being lowered, the old ones still draining.</summary>
    public static IReadOnlyList<string> ReceiveQueues(string runsQueue, string location, int shards, int drainShards) =>
        [.. Enumerable.Range(0, Math.Max(shards, drainShards)).Select(s => QueueName(runsQueue, location, s))];
}
