namespace Byot.Shared.Queue;

/// <summary>A delivery from one of the runs queues (<see cref="Queue"/>: which shard of which location; it is
/// extended and deleted there). <see cref="Message"/> is null when the body was not a run message.</summary>
public sealed record ReceivedRunMessage(
    string Queue,
    string MessageId,
    string PopReceipt,
    long DequeueCount,
    string Body,
    RunMessage? Message);
