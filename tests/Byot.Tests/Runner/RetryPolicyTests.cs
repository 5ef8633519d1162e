using Byot.Shared.Domain;
using Byot.Shared.Domain.Alerting;
using Xunit;

namespace Byot.Tests.Runner;

/// <summary>The retry policy's pure side: which outcomes a retry may fix, the wait before each try by backoff and its
/// cap, and a run that passed on a retry being flaky by the one rule.</summary>
public sealed class RetryPolicyTests
{
    [Theory]
    [InlineData(RetryBackoffs.Fixed, new[] { 30, 30, 30, 30, 30 })]
    [InlineData(RetryBackoffs.Linear, new[] { 30, 60, 90, 120, 150 })]
    [InlineData(RetryBackoffs.Exponential, new[] { 30, 60, 120, 240, 480 })]
    public void The_wait_before_each_retry_grows_by_the_backoff(string backoff, int[] seconds)
    {
        var policy = new RetryPolicy(5, 30, backoff);

        Assert.Equal(seconds, Enumerable.Range(2, 5).Select(attempt => (int)policy.WaitBefore(attempt).TotalSeconds));
    }

    [Fact]
    public void No_wait_is_longer_than_the_cap_whatever_the_backoff()
    {
        var policy = new RetryPolicy(RetryPolicy.MaxRetries, RetryPolicy.MaxDelaySeconds, RetryBackoffs.Exponential);

        Assert.Equal([300, 600, 600, 600, 600], Enumerable.Range(2, 5).Select(attempt => (int)policy.WaitBefore(attempt).TotalSeconds));
    }

    [Theory]
    [InlineData(RunStatus.Failed, true)]
    [InlineData(RunStatus.TimedOut, true)]
    [InlineData(RunStatus.Oom, true)]
    [InlineData(RunStatus.Passed, false)]
    [InlineData(RunStatus.InfraError, false)]
    [InlineData(RunStatus.Cancelled, false)]
    [InlineData(RunStatus.Skipped, false)]
    public void Only_the_tests_own_failures_are_retried_and_only_while_retries_are_left(RunStatus status, bool retried)
    {
        var policy = new RetryPolicy(2, 0, RetryBackoffs.Fixed);

        Assert.Equal(retried, policy.RetriesAfter(1, status));
        Assert.Equal(retried, policy.RetriesAfter(2, status));
        Assert.False(policy.RetriesAfter(3, status));
        Assert.False(RetryPolicy.None.RetriesAfter(1, status));
    }

    [Fact]
    public void A_run_that_passed_on_a_retry_makes_the_test_flaky_and_a_plain_pass_does_not()
    {
        var rule = new FlakyRule(10, 3);

        Assert.True(rule.Judge([new CountedResult(false, RunTrigger.Schedule, PassedOnRetry: true), new CountedResult(false, RunTrigger.Schedule)]).Flaky);
        Assert.True(rule.Judge([new CountedResult(false, RunTrigger.Schedule, PassedOnRetry: true)]).PassedOnRetry);
        Assert.False(rule.Judge([new CountedResult(false, RunTrigger.Schedule), new CountedResult(false, RunTrigger.Schedule)]).Flaky);
    }
}
