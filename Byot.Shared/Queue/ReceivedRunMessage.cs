namespace Byot.Shared.Queue;

/// <summary>A delivery from the runs queue. <see cref="Message"/> is null when the body was not a run message.</summary>
public sealed record ReceivedRunMessage(
    string MessageId,
    string PopReceipt,
    long DequeueCount,
    string Body,
    RunMessage? Message);
