using System.Globalization;
using Byot.Runner.Containers;
using Byot.Runner.Options;
using Byot.Shared.Cases;
using Byot.Shared.Domain;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Byot.Runner.Worker;

/// <summary>A run's tries under its test's <see cref="RetryPolicy"/>: a failed, timed-out or OOM try is tried again
/// in a fresh container (a new container and volumes; the earlier one is removed first) after the policy's wait,
/// before anything is recorded. The run's outcome is its last try's, with <see cref="RunOutcome.Tries"/> and every
/// try's cases. An infrastructure error ends the tries at once and goes the existing way (handed back for another
/// delivery, bounded by <c>MaxInfraAttempts</c>), so it never uses the test's retries. Between tries: a test disabled
/// or deleted ends the run <c>cancelled</c>; a Runner asked to stop hands the run back; a lost lease stops here.
/// The caller's lease heartbeat runs throughout, so a long series of tries is never taken over.</summary>
internal sealed partial class RunTries(
    RunAttempt attempt,
    RunExecution execution,
    TestStore tests,
    DatabaseRetry retry,
    RunnerStopping stopping,
    IOptions<RunnerOptions> options,
    TimeProvider time,
    ILogger<RunTries> logger)
{
    public async Task<(RunOutcome Outcome, ContainerHandle? Handle)> RunAsync(ClaimedRun claimed, string user, CancellationToken lost, CancellationToken cancellationToken)
    {
        var policy = claimed.Test.Retry;
        var maxCases = options.Value.MaxCasesPerRun;
        var attempts = new List<AttemptCases>();
        var warnings = new List<string>();
        var truncated = false;
        for (var number = 1; ; number++)
        {
            var @try = new RunTry(number, policy.MaxAttempts, Math.Max(0, maxCases - attempts.Sum(a => a.Cases.Count)));
            var (outcome, handle) = await attempt.RunAsync(claimed, user, @try, lost, cancellationToken);
            if (outcome.Cases is { } cases)
            {
                attempts.AddRange(cases.Attempts);
                truncated |= cases.Truncated;
                warnings.AddRange(cases.Warnings.Select(w => policy.MaxAttempts > 1 ? $"attempt {number}: {w}" : w));
            }

            var combined = outcome with
            {
                Tries = number,
                Cases = attempts.Count == 0 && !truncated && warnings.Count == 0 ? outcome.Cases : new RunCases([.. attempts], truncated, [.. warnings.Take(20)]),
            };
            if (outcome.Status == RunStatus.InfraError || !policy.RetriesAfter(number, outcome.Status) || lost.IsCancellationRequested)
            {
                return (combined, handle);
            }

            // This try's container and volume go before the next is made: never two of one run at once.
            if (handle is not null)
            {
                await execution.RemoveQuietlyAsync(handle);
            }

            var wait = policy.WaitBefore(number + 1);
            LogRetrying(claimed.Run.Id, number, policy.MaxAttempts, outcome.Status.ToName(), wait.TotalSeconds);
            if (await WaitAsync(wait, lost, cancellationToken) is { } stopped)
            {
                return (stopped with { Tries = number, Cases = combined.Cases }, null);
            }

            if (await CancelledAsync(claimed.Test.Id, number, policy.MaxAttempts, cancellationToken) is { } cancelled)
            {
                return (cancelled with { Tries = number, Cases = combined.Cases, LogBytes = outcome.LogBytes, LogTruncated = outcome.LogTruncated }, null);
            }
        }
    }

    /// <summary>Null when the wait ran out and the next try may start; otherwise why it may not.</summary>
    private async Task<RunOutcome?> WaitAsync(TimeSpan wait, CancellationToken lost, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(lost, stopping.Token);
        try
        {
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, linked.Token).WaitAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Lost or stopping: handled below.
        }

        if (lost.IsCancellationRequested)
        {
            // Another runner holds the run now: record nothing here (the caller finds it is no longer this runner's).
            return RunOutcomes.InfraError("The run's lease was lost to another runner between tries.");
        }

        // An infra_error is handed back for another delivery, which starts the tries afresh: a stopping Runner
        // starts no new container, and what this one made stays in the log.
        return stopping.IsStopping
            ? RunOutcomes.InfraError(string.Create(CultureInfo.InvariantCulture, $"Runner '{options.Value.Id}' stopped between tries; handed back."))
            : null;
    }

    /// <summary>A test disabled or deleted while its run waited to retry: no further try.</summary>
    private async Task<RunOutcome?> CancelledAsync(Guid testId, int done, int of, CancellationToken cancellationToken)
    {
        var test = await retry.ExecuteAsync(ct => tests.FindAsync(testId, ct), cancellationToken);
        return test is { Enabled: true }
            ? null
            : RunOutcomes.Cancelled(string.Create(CultureInfo.InvariantCulture,
                $"The test was {(test is null ? "deleted" : "disabled")} after attempt {done} of {of}; no further attempt."));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} attempt {Try} of {Tries} ended {Status}; retrying in {WaitSeconds} s")]
    private partial void LogRetrying(Guid runId, int @try, int tries, string status, double waitSeconds);
}
