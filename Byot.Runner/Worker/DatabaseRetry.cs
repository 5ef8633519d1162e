using Byot.Runner.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Byot.Runner.Worker;

/// <summary>Every query the Runner makes goes through this bounded retry (exponential backoff with jitter), so a
/// Postgres restart costs a reconnect, not a run: after a restart each pooled connection is dead and fails once, and
/// a claim that failed would otherwise wait out the queue's visibility timeout.</summary>
internal sealed partial class DatabaseRetry
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    private readonly ResiliencePipeline pipeline;
    private readonly ILogger<DatabaseRetry> logger;

    public DatabaseRetry(IOptions<RunnerOptions> options, TimeProvider time, ILogger<DatabaseRetry> logger)
    {
        this.logger = logger;
        var o = options.Value;
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (o.RecordRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(PostgresFaults.IsTransient),
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

    /// <summary>Runs the query; <paramref name="query"/> gets whether this is a retry (an earlier try may have
    /// committed before its connection broke), so a conditional write can recognise its own earlier success.</summary>
    public async Task<T> ExecuteAsync<T>(Func<bool, CancellationToken, Task<T>> query, CancellationToken cancellationToken)
    {
        var tries = 0;
        return await pipeline.ExecuteAsync(async ct => await query(++tries > 1, ct), cancellationToken);
    }

    public Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> query, CancellationToken cancellationToken) =>
        ExecuteAsync((_, ct) => query(ct), cancellationToken);

    public Task ExecuteAsync(Func<CancellationToken, Task> query, CancellationToken cancellationToken) =>
        ExecuteAsync<bool>(async (_, ct) =>
        {
            await query(ct);
            return true;
        }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A database query failed on a transient fault; retry {Attempt} in {DelayMs} ms")]
    private partial void LogRetrying(Exception? exception, int attempt, double delayMs);
}
