using Byot.Runner.Options;
using Byot.Shared.Queue;
using Microsoft.Extensions.Options;

namespace Byot.Runner.Worker;

/// <summary>Receives from every shard of this Runner's location (and shards still draining), fairly, and from no
/// other location's queues.</summary>
internal sealed class LocationReceiver(RunQueue queue, IOptions<RunnerOptions> options)
{
    private readonly ShardRotation rotation = new(queue.ReceiveQueues(options.Value.Location));
    private readonly HashSet<string> mine = [.. queue.ReceiveQueues(options.Value.Location)];

    public IReadOnlyList<string> Queues => rotation.Queues;

    /// <summary>Whether a wake-up is for one of these queues: a run queued in another location is not this Runner's.</summary>
    public bool Wants(RunWakeUp wakeUp) => mine.Contains(wakeUp.Queue);

    public async Task<IReadOnlyList<ReceivedRunMessage>> ReceiveAsync(int free, TimeSpan visibility, CancellationToken cancellationToken)
    {
        var received = new List<ReceivedRunMessage>();
        foreach (var name in rotation.NextOrder())
        {
            received.AddRange(await queue.ReceiveAsync(name, free - received.Count, visibility, cancellationToken));
            if (received.Count >= free)
            {
                break;
            }
        }

        return received;
    }
}
