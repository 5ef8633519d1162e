using System.Globalization;
using Byot.Runner.Containers;
using Byot.Runner.Options;
using Byot.Shared.Completion;
using Byot.Shared.Domain;
using Byot.Shared.Queue;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Byot.Runner.Worker;

/// <summary>Handles one delivery of the runs queue: claim, run the test's tries (one, or more with retries) under a
/// lease heartbeat that renews the lease and the message's visibility throughout, record the result (or hand the run
/// back for another attempt), delete the message, remove the container.</summary>
internal sealed partial class RunExecutor(
    RunQueue queue,
    RunStore runs,
    RunCompletion completion,
    DatabaseRetry retry,
    ResultRecorder recorder,
    RunTries tries,
    RunExecution execution,
    UidAllocator uids,
    IOptions<RunnerOptions> options,
    ILogger<RunExecutor> logger)
{
    public async Task ExecuteAsync(ReceivedRunMessage message, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (message.Batch is { } batch)
        {
            // Not a run: the scheduler's batch becomes one message per run (any Runner of the location takes them).
            // However often it was delivered, expanding runs nothing, so it is never poisoned.
            await queue.ExpandAsync(message, batch, cancellationToken);
            LogExpanded(message.MessageId, batch.RunIds.Count);
            return;
        }

        if (message.Message is not { } body)
        {
            LogMalformed(message.MessageId);
            await queue.MoveToPoisonAsync(message, message.PopReceipt, cancellationToken);
            return;
        }

        if (message.DequeueCount > o.MaxDequeueCount)
        {
            await PoisonAsync(message, body.RunId, cancellationToken);
            return;
        }

        var visibility = TimeSpan.FromSeconds(o.VisibilityTimeoutSeconds);
        var claimed = await retry.ExecuteAsync((retrying, ct) => runs.ClaimAsync(body.RunId, o.Id, visibility, ct, resume: retrying), cancellationToken);
        if (claimed is null)
        {
            // Finished, held by another runner, or its test is gone: this delivery is a duplicate.
            LogDuplicate(body.RunId);
            await queue.DeleteAsync(message, message.PopReceipt, cancellationToken);
            return;
        }

        // Held until the container is removed, so a uid is never shared by two live containers.
        using var uid = uids.Acquire();
        ContainerHandle? handle = null;
        try
        {
            string popReceipt;
            await using (var heartbeat = new LeaseHeartbeat(queue, runs, retry, message, body.RunId, o.Id, visibility, logger))
            {
                RunOutcome outcome;
                (outcome, handle) = claimed.Run.Attempt > o.MaxInfraAttempts
                    ? (RunnerLost(claimed.Run.Attempt), null)
                    : await tries.RunAsync(claimed, uid.User, heartbeat.Lost, cancellationToken);
                await FinishAsync(claimed.Run, outcome, cancellationToken);
                popReceipt = heartbeat.PopReceipt;
            }

            await queue.DeleteAsync(message, popReceipt, cancellationToken);
        }
        finally
        {
            // Also when recording or deleting failed for good: the message reappears and the run is retried or
            // closed, and this attempt's container and volume must not outlive it.
            if (handle is not null)
            {
                await execution.RemoveQuietlyAsync(handle);
            }
        }
    }

    /// <summary>An infra_error with attempts left goes back on the queue; any other outcome is the run's result.</summary>
    private async Task FinishAsync(TestRun run, RunOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Status == RunStatus.InfraError && run.Attempt < options.Value.MaxInfraAttempts)
        {
            await RequeueAsync(run, outcome.Error ?? "infrastructure error", cancellationToken);
        }
        else if (await RecordAsync(run.Id, outcome, cancellationToken))
        {
            LogFinished(run.Id, outcome.Status.ToName(), outcome.ExitCode, outcome.DurationMs);
        }
        else
        {
            LogLostBeforeRecord(run.Id);
        }
    }

    /// <summary>The one place a result is recorded.</summary>
    private Task<bool> RecordAsync(Guid runId, RunOutcome outcome, CancellationToken cancellationToken) =>
        recorder.CompleteAsync(runId, options.Value.Id, outcome, cancellationToken);

    /// <summary>Puts the run back for attempt+1: the database first (so a crash here leaves a claimable run whose old
    /// message reappears), then a new delayed message; the caller deletes the current one.</summary>
    private async Task RequeueAsync(TestRun run, string error, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!await recorder.RequeueAsync(run, o.Id, error, cancellationToken))
        {
            LogLostBeforeRecord(run.Id);
            return;
        }

        await queue.EnqueueAsync(new QueuedRun(run.Id, run.TestId, run.Location, TimeSpan.FromSeconds(o.InfraRetryDelaySeconds)), cancellationToken);
        LogRequeued(run.Id, run.Attempt, o.MaxInfraAttempts);
    }

    private async Task PoisonAsync(ReceivedRunMessage message, Guid runId, CancellationToken cancellationToken)
    {
        var error = string.Create(CultureInfo.InvariantCulture, $"The queue delivered this run {message.DequeueCount} times without a result; moved to the poison queue.");
        await retry.ExecuteAsync(ct => completion.FailUnstartedAsync(runId, RunStatus.InfraError, error, ct), cancellationToken);
        await queue.MoveToPoisonAsync(message, message.PopReceipt, cancellationToken);
        LogPoisoned(runId, message.DequeueCount);
    }

    /// <summary>Earlier attempts ended without a result (a runner died holding the lease): stop trying.</summary>
    private RunOutcome RunnerLost(int attemptNumber) => RunOutcomes.InfraError(string.Create(CultureInfo.InvariantCulture,
        $"Attempt {attemptNumber} of a run whose earlier attempts ended without a result (runner lost); the limit is {options.Value.MaxInfraAttempts}."));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} attempt {Attempt} of {MaxAttempts} hit an infrastructure error; re-queued")]
    private partial void LogRequeued(Guid runId, int attempt, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Expanded batch message {MessageId} into {Count} run messages")]
    private partial void LogExpanded(string messageId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} is not a run message; moved to the poison queue")]
    private partial void LogMalformed(string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} was delivered {Count} times; closed as infra_error and poisoned")]
    private partial void LogPoisoned(Guid runId, long count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} is finished or held elsewhere; dropped a duplicate delivery")]
    private partial void LogDuplicate(Guid runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} {Status} (exit {ExitCode}) in {DurationMs} ms")]
    private partial void LogFinished(Guid runId, string status, int? exitCode, long durationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} was taken over before its result could be recorded; result discarded")]
    private partial void LogLostBeforeRecord(Guid runId);
}
