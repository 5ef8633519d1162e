namespace Byot.Shared.Domain;

/// <summary>A test's own retries inside one run (docs/cases.md, "Retries inside a run"): a failed, timed-out or OOM
/// attempt is tried again in a fresh container, up to <see cref="Retries"/> times, after a wait that grows by
/// <see cref="Backoff"/>. Infrastructure errors are not the test's and never use these retries.</summary>
public sealed record RetryPolicy(int Retries, int DelaySeconds, string Backoff)
{
    public const int MaxRetries = 5;
    public const int MaxDelaySeconds = 300;

    /// <summary>No single wait is longer, whatever the backoff: a run's wall time stays bounded by
    /// (retries + 1) × timeout + retries × this.</summary>
    public const int MaxWaitSeconds = 600;

    public static RetryPolicy None { get; } = new(0, 0, RetryBackoffs.Fixed);

    /// <summary>Attempts a run may make: the first and each retry.</summary>
    public int MaxAttempts => Retries + 1;

    /// <summary>Whether an attempt that ended so is the test's own failure, which a retry may fix.</summary>
    public static bool IsRetryable(RunStatus status) => status is RunStatus.Failed or RunStatus.TimedOut or RunStatus.Oom;

    /// <summary>Whether attempt <paramref name="attempt"/> (from 1) that ended with <paramref name="status"/> is
    /// followed by another.</summary>
    public bool RetriesAfter(int attempt, RunStatus status) => attempt < MaxAttempts && IsRetryable(status);

    /// <summary>The wait before attempt <paramref name="attempt"/> (2 or more): the delay, times the retry's number
    /// (linear) or doubled per retry (exponential), never more than <see cref="MaxWaitSeconds"/>.</summary>
    public TimeSpan WaitBefore(int attempt)
    {
        var retry = Math.Max(1, attempt - 1);
        var seconds = Backoff switch
        {
            RetryBackoffs.Linear => (long)DelaySeconds * retry,
            RetryBackoffs.Exponential => (long)DelaySeconds << Math.Min(retry - 1, 20),
            _ => DelaySeconds,
        };
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxWaitSeconds));
    }
}
