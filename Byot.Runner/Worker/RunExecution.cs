using System.Globalization;
using Byot.Runner.Containers;
using Byot.Runner.Options;
using Byot.Shared.Artifacts;
using Byot.Shared.Cases;
using Byot.Shared.Domain;
using Byot.Shared.Secrets;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Byot.Runner.Worker;

/// <summary>Runs a prepared container to its end: waits for the slot's second, skips an overlapping slot, starts
/// the container and records the start, reads the exit as an outcome, keeps /artifacts and closes the log.</summary>
internal sealed partial class RunExecution(
    IContainerEngine engine,
    RunStore runs,
    DatabaseRetry retry,
    ArtifactCollector collector,
    IOptions<RunnerOptions> options,
    TimeProvider time,
    ILogger<RunExecution> logger)
{
    private static readonly TimeSpan MaxEarlyWait = TimeSpan.FromSeconds(30);

    public async Task<RunOutcome> ExecuteAsync(
        ClaimedRun claimed, PreparedContainer container, RunLogWriter log, SecretMasker masker, CaseCollector cases, RunTry @try, CancellationToken lost, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var (run, test, _) = claimed;
        if (@try.IsFirst && run.Attempt > 1)
        {
            // The earlier attempt's lines stay, and say where they end.
            await log.WriteSystemLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"attempt {run.Attempt - 1} ended without a result ({run.Error ?? "its runner stopped renewing the lease"}); attempt {run.Attempt} follows"), cancellationToken);
        }

        if (@try.Of > 1)
        {
            // Each try's section of the log starts with its own marker, the live log's too.
            await log.WriteSystemLineAsync(string.Create(CultureInfo.InvariantCulture, $"── attempt {@try.Number} of {@try.Of} ──"), cancellationToken);
        }

        // A scheduled run is delivered a little early: the container is ready, and starts at the slot's second.
        // The wait is bounded: a message that arrived far too early (moved by hand) is not held for days.
        if (@try.IsFirst && run.ScheduledFor is { } slot && slot > time.GetUtcNow())
        {
            var wait = slot - time.GetUtcNow();
            await Task.Delay(wait < MaxEarlyWait ? wait : MaxEarlyWait, time, cancellationToken);
        }

        if (@try.IsFirst && run.Trigger == RunTrigger.Schedule && await retry.ExecuteAsync(ct => runs.IsOverlappingAsync(run.Id, run.TestId, ct), cancellationToken))
        {
            return RunOutcomes.Skipped("Skipped: the previous run of this test was still running.");
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lost);
        var started = await engine.StartAsync(
            container.Handle, log, TimeSpan.FromSeconds(test.TimeoutSeconds), TimeSpan.FromSeconds(o.StopGraceSeconds), linked.Token);

        // Recorded while the test runs, never holding it up; a failure here surfaces once the container has ended.
        // The run started with its first try; a retry does not move started_at.
        var marked = @try.IsFirst
            ? retry.ExecuteAsync(ct => runs.MarkStartedAsync(run.Id, o.Id, container.Plan.Recorded, ct), linked.Token)
            : Task.FromResult(true);
        var exit = await started.Exited;
        await marked;

        var status = exit.OomKilled ? RunStatus.Oom
            : exit.Overrun is not null ? RunStatus.Failed
            : exit.TimedOut ? RunStatus.TimedOut
            : exit.ExitCode == 0 ? RunStatus.Passed
            : RunStatus.Failed;
        string? error = status switch
        {
            RunStatus.TimedOut => $"Stopped after the {test.TimeoutSeconds}-second timeout.",
            // A browser's renderer is often what the kernel kills, and the test then fails on its own: still oom.
            RunStatus.Oom => $"Killed for exceeding its {test.MemoryMb} MiB memory limit: raise docker_memory_mb (PATCH /tests/{{id}} memoryMb) if the test needs more.",
            _ => exit.Overrun?.Message,
        };
        if (error is not null)
        {
            await log.WriteSystemLineAsync(error, cancellationToken);
        }

        await CollectArtifactsAsync(run.Id, container.Handle, log, masker, cases, cancellationToken);
        var attempt = cases.Complete(@try.Number);
        foreach (var warning in cases.Warnings)
        {
            // Recorded on the run too; never a change to its outcome.
            await log.WriteSystemLineAsync("test report warning: " + warning, cancellationToken);
        }

        await log.CompleteAsync(cancellationToken);
        return new RunOutcome(status, (int)exit.ExitCode, (long)exit.Duration.TotalMilliseconds, log.Bytes, log.Truncated, error,
            new RunCases([attempt], cases.Truncated, cases.Warnings));
    }

    /// <summary>Also after a failed attempt: this attempt's container and volume must not outlive it.</summary>
    public async Task RemoveQuietlyAsync(ContainerHandle handle)
    {
        try
        {
            await engine.RemoveAsync(handle, CancellationToken.None);
        }
        catch (Exception e) when (InfrastructureFaults.IsInfrastructure(e))
        {
            LogRemoveFailed(e, handle.ContainerId);
        }
    }

    /// <summary>Artifacts are the test's extras: failing to keep them is logged on the run, never changes its outcome.</summary>
    private async Task CollectArtifactsAsync(Guid runId, ContainerHandle handle, RunLogWriter log, SecretMasker masker, CaseCollector cases, CancellationToken cancellationToken)
    {
        string? summary;
        try
        {
            summary = await collector.CollectAsync(runId, handle, masker, cancellationToken, cases);
        }
        catch (Exception e) when (InfrastructureFaults.IsInfrastructure(e) || e is ArtifactTooLargeException)
        {
            LogArtifactsFailed(e, runId);
            summary = "artifacts could not be kept: " + e.Message;
        }

        if (summary is not null)
        {
            await log.WriteSystemLineAsync(summary, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: keeping its /artifacts failed")]
    private partial void LogArtifactsFailed(Exception exception, Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container {ContainerId} could not be removed; the orphan sweep will retry")]
    private partial void LogRemoveFailed(Exception exception, string containerId);
}
