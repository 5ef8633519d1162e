using System.Globalization;
using Azure;
using Byot.Runner.Containers;
using Byot.Runner.Isolation;
using Byot.Runner.Network;
using Byot.Runner.Options;
using Byot.Shared.Artifacts;
using Byot.Shared.Completion;
using Byot.Shared.Domain;
using Byot.Shared.Queue;
using Byot.Shared.Secrets;
using Byot.Shared.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Byot.Runner.Worker;

/// <summary>Handles one delivery of the runs queue: claim, execute in a fresh container, record, delete.</summary>
internal sealed partial class RunExecutor(
    RunQueue queue,
    RunStore runs,
    RunCompletion completion,
    ResultRecorder recorder,
    DatabaseRetry retry,
    LogStore logs,
    ArtifactCache cache,
    AppImages appImages,
    ArtifactCollector collector,
    IContainerEngine engine,
    EngineRuntimesProbe isolation,
    SecretService secrets,
    UidAllocator uids,
    EgressGate egress,
    IOptions<RunnerOptions> options,
    TimeProvider time,
    ILogger<RunExecutor> logger)
{
    private static readonly TimeSpan MaxEarlyWait = TimeSpan.FromSeconds(30);

    // The runner warns once that it cannot watch volume sizes, not once per run.
    private int unwatchedWarned;

    public async Task ExecuteAsync(ReceivedRunMessage message, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (message.Message is not { } body)
        {
            LogMalformed(message.MessageId);
            await queue.MoveToPoisonAsync(message, message.PopReceipt, cancellationToken);
            return;
        }

        if (message.DequeueCount > o.MaxDequeueCount)
        {
            var error = string.Create(CultureInfo.InvariantCulture, $"The queue delivered this run {message.DequeueCount} times without a result; moved to the poison queue.");
            await retry.ExecuteAsync(ct => completion.FailUnstartedAsync(body.RunId, RunStatus.InfraError, error, ct), cancellationToken);
            await queue.MoveToPoisonAsync(message, message.PopReceipt, cancellationToken);
            LogPoisoned(body.RunId, message.DequeueCount);
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
                if (claimed.Run.Attempt > o.MaxInfraAttempts)
                {
                    // Earlier attempts ended without a result (a runner died holding the lease): stop trying.
                    outcome = InfraError(string.Create(CultureInfo.InvariantCulture,
                        $"Attempt {claimed.Run.Attempt} of a run whose earlier attempts ended without a result (runner lost); the limit is {o.MaxInfraAttempts}."));
                }
                else
                {
                    (outcome, handle) = await RunClaimedAsync(claimed, uid.User, heartbeat.Lost, cancellationToken);
                }

                if (outcome.Status == RunStatus.InfraError && claimed.Run.Attempt < o.MaxInfraAttempts)
                {
                    await RequeueAsync(claimed.Run, outcome.Error ?? "infrastructure error", cancellationToken);
                }
                else if (await recorder.CompleteAsync(body.RunId, o.Id, outcome, cancellationToken))
                {
                    LogFinished(body.RunId, outcome.Status.ToName(), outcome.ExitCode, outcome.DurationMs);
                }
                else
                {
                    LogLostBeforeRecord(body.RunId);
                }

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
                await RemoveQuietlyAsync(handle);
            }
        }
    }

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

    private async Task<(RunOutcome Outcome, ContainerHandle? Handle)> RunClaimedAsync(ClaimedRun claimed, string user, CancellationToken lost, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var (run, test, artifact) = claimed;
        if (!test.Enabled)
        {
            return (new RunOutcome(RunStatus.Cancelled, null, 0, 0, false, "The test was disabled before the run started."), null);
        }

        if (ContainerSpecs.Resolve(test, o) is not { } runtime)
        {
            return (InfraError(test.Runtime == Runtimes.Image
                ? "The test has runtime 'image' but names no image."
                : $"Runner '{o.Id}' has no image configured for runtime '{test.Runtime}' (Byot:Runner:Runtimes)."), null);
        }

        if (test.NetworkEnabled && await egress.RefusalAsync(cancellationToken) is { } refusal)
        {
            return (InfraError(refusal), null);
        }

        IReadOnlyDictionary<string, string> revealed;
        try
        {
            revealed = await retry.ExecuteAsync(ct => secrets.RevealForRunAsync(test.Id, ct), cancellationToken);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or InvalidOperationException)
        {
            return (InfraError($"The test's secrets could not be decrypted on runner '{o.Id}' (is Byot:Secrets:Key the same as the Functions app's?): {e.Message}"), null);
        }

        var blobName = run.LogBlobName ?? RunStore.LogBlobName(run.Id);
        ContainerHandle? handle = null;
        RunLogWriter? log = null;
        var masker = new SecretMasker(revealed.Values);
        try
        {
            // The log blob is opened while the container is prepared: on the critical path, neither waits on the other.
            var logOpened = logs.OpenForAppendAsync(blobName, cancellationToken);
            IsolationPlan plan;
            try
            {
                // An engine that cannot be asked, or cannot give what the test needs, is an infrastructure error
                // like any other engine fault: retried, written to the run's log, never the test's failure.
                plan = IsolationPlanner.Plan(await isolation.GetAsync(cancellationToken), o, test.Isolation, test.NetworkEnabled);
                if (plan.Refusal is { } unmet)
                {
                    throw new ContainerEngineException(unmet);
                }

                var archive = await cache.GetAppArchiveAsync(artifact, cancellationToken);
                var spec = ContainerSpecs.For(run, test, artifact, runtime, archive, user, o, revealed) with
                {
                    EngineRuntime = plan.EngineRuntime, PidsLimit = plan.PidsLimit, ProcessLimit = plan.ProcessLimit,
                };
                if (await appImages.GetAsync(spec.Image, artifact, archive, cancellationToken) is { } baked)
                {
                    spec = spec with { Image = baked, AppInImage = true };
                }

                handle = await engine.CreateAsync(spec, cancellationToken);
                if (handle.Unwatched && Interlocked.Exchange(ref unwatchedWarned, 1) == 0)
                {
                    LogVolumesUnwatched(o.ArtifactsVolumeMb);
                }
            }
            finally
            {
                // Also when preparing failed: the infrastructure error is then written to the run's log.
                var existing = await logOpened;
                log = new RunLogWriter(logs, blobName, o.LogCapBytes, TimeSpan.FromMilliseconds(o.LogFlushMilliseconds), time, masker,
                    new LogBufferPolicy(o.LogBufferBytes, o.LogRetryAttempts, TimeSpan.FromMilliseconds(o.LogRetryDelayMilliseconds)),
                    existing, (bytes, ct) => runs.UpdateLogBytesAsync(run.Id, o.Id, bytes, ct));
            }

            if (run.Attempt > 1)
            {
                // The earlier attempt's lines stay, and say where they end.
                await log.WriteSystemLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"attempt {run.Attempt - 1} ended without a result ({run.Error ?? "its runner stopped renewing the lease"}); attempt {run.Attempt} follows"), cancellationToken);
            }


            // A scheduled run is delivered a little early: the container is ready, and starts at the slot's second.
            // The wait is bounded: a message that arrived far too early (moved by hand) is not held for days.
            if (run.ScheduledFor is { } slot && slot > time.GetUtcNow())
            {
                var wait = slot - time.GetUtcNow();
                await Task.Delay(wait < MaxEarlyWait ? wait : MaxEarlyWait, time, cancellationToken);
            }

            if (run.Trigger == RunTrigger.Schedule && await retry.ExecuteAsync(ct => runs.IsOverlappingAsync(run.Id, run.TestId, ct), cancellationToken))
            {
                return (new RunOutcome(RunStatus.Skipped, null, 0, 0, false, "Skipped: the previous run of this test was still running."), handle);
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lost);
            var exit = await engine.RunAsync(
                handle, log, TimeSpan.FromSeconds(test.TimeoutSeconds), TimeSpan.FromSeconds(o.StopGraceSeconds),
                ct => retry.ExecuteAsync(c => runs.MarkStartedAsync(run.Id, o.Id, plan.Recorded, c), ct), linked.Token);

            var status = exit.OomKilled ? RunStatus.Oom
                : exit.Overrun is not null ? RunStatus.Failed
                : exit.TimedOut ? RunStatus.TimedOut
                : exit.ExitCode == 0 ? RunStatus.Passed
                : RunStatus.Failed;
            string? error = status switch
            {
                RunStatus.TimedOut => $"Stopped after the {test.TimeoutSeconds}-second timeout.",
                RunStatus.Oom => $"Killed for exceeding its {test.MemoryMb} MiB memory limit.",
                _ => exit.Overrun?.Message,
            };
            if (error is not null)
            {
                await log.WriteSystemLineAsync(error, cancellationToken);
            }

            await CollectArtifactsAsync(run.Id, handle, log, masker, cancellationToken);

            await log.CompleteAsync(cancellationToken);
            return (new RunOutcome(status, (int)exit.ExitCode, (long)exit.Duration.TotalMilliseconds, log.Bytes, log.Truncated, error), handle);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Another runner took the run over: stop here; the caller removes this container and records nothing.
            return (InfraError("The run's lease was lost to another runner."), handle);
        }
        catch (Exception e) when (e is BundleRefusedException or ContainerRefusedException && !cancellationToken.IsCancellationRequested)
        {
            // The test's own bundle or settings are at fault: fail once with the reason, never an infra_error retry
            // loop and an operator page.
            var error = e is BundleRefusedException ? "The test's bundle was refused: " + e.Message : e.Message;
            LogRefused(run.Id, error);
            if (log is not null)
            {
                await TryCompleteLogAsync(log, error);
            }

            return (new RunOutcome(RunStatus.Failed, null, 0, log?.Bytes ?? 0, false, error), handle);
        }
        catch (Exception e) when (IsInfrastructureFault(e) && !cancellationToken.IsCancellationRequested)
        {
            LogInfraError(e, run.Id);
            if (log is not null)
            {
                await TryCompleteLogAsync(log, "run ended with an infrastructure error: " + e.Message);
            }

            return (InfraError(e.Message) with { LogBytes = log?.Bytes ?? 0 }, handle);
        }
        finally
        {
            if (log is not null)
            {
                await log.DisposeAsync();
            }
        }
    }

    /// <summary>Artifacts are the test's extras: failing to keep them is logged on the run, never changes its outcome.</summary>
    private async Task CollectArtifactsAsync(Guid runId, ContainerHandle handle, RunLogWriter log, SecretMasker masker, CancellationToken cancellationToken)
    {
        string? summary;
        try
        {
            summary = await collector.CollectAsync(runId, handle, masker, cancellationToken);
        }
        catch (Exception e) when (IsInfrastructureFault(e) || e is ArtifactTooLargeException)
        {
            LogArtifactsFailed(e, runId);
            summary = "artifacts could not be kept: " + e.Message;
        }

        if (summary is not null)
        {
            await log.WriteSystemLineAsync(summary, cancellationToken);
        }
    }

    private static RunOutcome InfraError(string error) => new(RunStatus.InfraError, null, 0, 0, false, error);

    private static bool IsInfrastructureFault(Exception e) =>
        e is ContainerEngineException or RequestFailedException or NpgsqlException or IOException or InvalidDataException
            or HttpRequestException or UnauthorizedAccessException
        // The Azure SDK reports a request whose retries all failed (storage unreachable) as an AggregateException.
        || (e is AggregateException a && a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsInfrastructureFault));

    private static async Task TryCompleteLogAsync(RunLogWriter log, string line)
    {
        try
        {
            await log.WriteSystemLineAsync(line, CancellationToken.None);
            await log.CompleteAsync(CancellationToken.None);
        }
        catch (Exception e) when (IsInfrastructureFault(e))
        {
            // The run is already an infra_error; a log we cannot write adds nothing to fix.
        }
    }

    private async Task RemoveQuietlyAsync(ContainerHandle handle)
    {
        try
        {
            await engine.RemoveAsync(handle, CancellationToken.None);
        }
        catch (ContainerEngineException e)
        {
            LogRemoveFailed(e, handle.ContainerId);
        }
        catch (Exception e) when (IsInfrastructureFault(e))
        {
            LogRemoveFailed(e, handle.ContainerId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The /artifacts size limit ({ArtifactsMb} MiB) is NOT enforced: this runner cannot read the engine's volume directory to watch it. Run the runner where it can, or set Byot:Runner:VolumeQuota=Engine on an engine with XFS project quotas (docs/security.md)")]
    private partial void LogVolumesUnwatched(int artifactsMb);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} attempt {Attempt} of {MaxAttempts} hit an infrastructure error; re-queued")]
    private partial void LogRequeued(Guid runId, int attempt, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: keeping its /artifacts failed")]
    private partial void LogArtifactsFailed(Exception exception, Guid runId);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} failed before it started: {Reason}")]
    private partial void LogRefused(Guid runId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} hit an infrastructure error")]
    private partial void LogInfraError(Exception exception, Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container {ContainerId} could not be removed; the orphan sweep will retry")]
    private partial void LogRemoveFailed(Exception exception, string containerId);
}
