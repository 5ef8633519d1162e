using Byot.Runner.Options;
using Byot.Shared.Domain;
using Byot.Shared.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Byot.Runner.Worker;

/// <summary>Writes a run's result (or hands the run back for another attempt) through a bounded retry with exponential
/// backoff and jitter, so a database that restarts or drops its connections while a run goes on (FAULTS.md row 21)
/// does not lose the result. The store's updates are conditional on this runner holding the run, so a retry after a
/// write that committed but whose reply was lost changes nothing; the run is then read back, and a row already in
/// exactly the state this runner wrote counts as recorded. The result is written once.</summary>
internal sealed partial class ResultRecorder
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    private readonly RunStore runs;
    private readonly ResiliencePipeline pipeline;
    private readonly ILogger<ResultRecorder> logger;

    public ResultRecorder(RunStore runs, IOptions<RunnerOptions> options, TimeProvider time, ILogger<ResultRecorder> logger)
    {
        this.runs = runs;
        this.logger = logger;
        var o = options.Value;
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (o.RecordRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = o.RecordRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(o.RecordRetryDelayMilliseconds),
                MaxDelay = MaxDelay,
                OnRetry = args =>
                {
                    LogRetrying(args.Outcome.Exception, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            });
        }

        pipeline = builder.Build();
    }

    /// <summary>Records the final outcome; false when the run is no longer this runner's (taken over).</summary>
    public async Task<bool> CompleteAsync(Guid runId, string runnerId, RunOutcome outcome, CancellationToken cancellationToken)
    {
        var tries = 0;
        return await pipeline.ExecuteAsync(
            async ct =>
            {
                var first = ++tries == 1;
                if (await runs.CompleteAsync(runId, runnerId, outcome, ct))
                {
                    return true;
                }

                if (first)
                {
                    return false;
                }

                // An earlier try may have committed before its connection broke.
                var run = await runs.FindAsync(runId, ct);
                return run is { FinishedAt: not null } && run.RunnerId == runnerId && run.Status == outcome.Status;
            },
            cancellationToken);
    }

    /// <summary>Hands the run back to the queue for its next attempt; false when it is no longer this runner's.</summary>
    public async Task<bool> RequeueAsync(TestRun claimed, string runnerId, string error, CancellationToken cancellationToken)
    {
        var tries = 0;
        return await pipeline.ExecuteAsync(
            async ct =>
            {
                var first = ++tries == 1;
                if (await runs.RequeueAsync(claimed.Id, runnerId, error, ct))
                {
                    return true;
                }

                if (first)
                {
                    return false;
                }

                var run = await runs.FindAsync(claimed.Id, ct);
                return run is { Status: RunStatus.Queued, RunnerId: null } && run.Attempt == claimed.Attempt && run.Error == error;
            },
            cancellationToken);
    }

    /// <summary>Connection-level failures and the server's "shutting down / starting up" answers; never a constraint
    /// or syntax error.</summary>
    internal static bool IsTransient(Exception e) => e switch
    {
        PostgresException p => p.IsTransient || p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException => true,
        TimeoutException or IOException or System.Net.Sockets.SocketException => true,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording a result failed; retry {Attempt} in {DelayMs} ms")]
    private partial void LogRetrying(Exception? exception, int attempt, double delayMs);
}
