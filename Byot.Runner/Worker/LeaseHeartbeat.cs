using Byot.Shared.Queue;
using Byot.Shared.Storage;

namespace Byot.Runner.Worker;

/// <summary>While a run goes on, keeps its queue message hidden and its database lease alive, so no other runner
/// starts it. Cancels <see cref="Lost"/> when the lease is taken away.</summary>
internal sealed partial class LeaseHeartbeat : IAsyncDisposable
{
    private readonly RunQueue queue;
    private readonly RunStore runs;
    private readonly DatabaseRetry retry;
    private readonly ReceivedRunMessage message;
    private readonly Guid runId;
    private readonly string runnerId;
    private readonly TimeSpan visibility;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stop = new();
    private readonly CancellationTokenSource lost = new();
    private readonly Task loop;

    public LeaseHeartbeat(RunQueue queue, RunStore runs, DatabaseRetry retry, ReceivedRunMessage message, Guid runId, string runnerId, TimeSpan visibility, ILogger logger)
    {
        this.queue = queue;
        this.runs = runs;
        this.retry = retry;
        this.message = message;
        this.runId = runId;
        this.runnerId = runnerId;
        this.visibility = visibility;
        this.logger = logger;
        PopReceipt = message.PopReceipt;
        loop = BeatAsync(stop.Token);
    }

    /// <summary>The message's current pop receipt; each visibility update issues a new one.</summary>
    public string PopReceipt { get; private set; }

    public CancellationToken Lost => lost.Token;

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
        lost.Dispose();
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        using var ticker = new PeriodicTimer(visibility / 3);
        try
        {
            while (await ticker.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    PopReceipt = await queue.ExtendAsync(message, PopReceipt, visibility, cancellationToken);
                    if (!await retry.ExecuteAsync(ct => runs.RenewLeaseAsync(runId, runnerId, visibility, ct), cancellationToken))
                    {
                        LogLeaseLost(runId);
                        await lost.CancelAsync();
                        return;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A missed beat is survivable: the lease and visibility outlast two more attempts.
                    LogBeatFailed(e, runId);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: lease lost to another runner; stopping it here")]
    private partial void LogLeaseLost(Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: heartbeat failed; will retry")]
    private partial void LogBeatFailed(Exception exception, Guid runId);
}
