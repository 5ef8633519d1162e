using Byot.Runner.Options;
using Byot.Shared.Queue;
using Microsoft.Extensions.Options;

namespace Byot.Runner.Worker;

/// <summary>Receives from every shard of this Runner's location (and shards still draining), fairly, and from no
/// other location's queues.</summary>
internal sealed class LocationReceiver(RunQueue queue, IOptions<RunnerOptions> options)
{
    private readonly ShardRotation rotation = new(queue.ReceiveQueues(options.Value.Location));

    public IReadOnlyList<string> Queues => rotation.Queues;

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
