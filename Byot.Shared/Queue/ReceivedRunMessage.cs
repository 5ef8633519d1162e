namespace Byot.Shared.Queue;

/// <summary>A delivery from one of the runs queues (<see cref="Queue"/>: which shard of which location; it is
/// extended and deleted there). <see cref="Message"/> is the run it asks for; <see cref="Batch"/> is set instead when
/// it is a scheduler's batch to expand; both are null when the body is neither.</summary>
public sealed record ReceivedRunMessage(
    string Queue,
    string MessageId,
    string PopReceipt,
    long DequeueCount,
    string Body,
    RunMessage? Message,
    RunBatchMessage? Batch = null);
