namespace Byot.Runner.Worker;

/// <summary>The order a Runner tries its location's shards in: each receive starts one shard further on, so no shard
/// waits behind a busy one; a receive fills its free slots from the next shards when the first has too little.</summary>
internal sealed class ShardRotation(IReadOnlyList<string> queues)
{
    private int next;

    public IReadOnlyList<string> Queues => queues;

    public IEnumerable<string> NextOrder()
    {
        var start = (int)((uint)Interlocked.Increment(ref next) % (uint)queues.Count);
        for (var i = 0; i < queues.Count; i++)
        {
            yield return queues[(start + i) % queues.Count];
        }
    }
}
