using Byot.Shared.Domain;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Reliability;

/// <summary>docs/reliability.md row 22 for a storage backend whose outage a test can start and end (S3 through a relay;
/// BlobOutageTests keeps its own copy of the same two scenarios for Azurite): a short outage
/// costs nothing (every line lands once, in order, and the run passes at attempt 1); one that outlasts the retries is
/// an infra_error, never a pass.</summary>
internal sealed class LogOutageScenarios(PrivateStack stack, Func<Task> down, Func<Task> up, Func<IDictionary<string, string?>, Task<RunnerHost>> startRunner)
{
    private const int Lines = 60;

    public async Task LinesPrintedWhileDownAreStoredOnceAfterItReturnsAsync()
    {
        await using var runner = await startRunner(RunnerSettings(retryAttempts: 10));
        var testId = await stack.UploadShellAsync($"i=1\nwhile [ $i -le {Lines} ]; do echo \"line $i\"; i=$((i+1)); sleep 0.1; done");
        var runId = await stack.RunNowAsync(testId);
        await WaitForLogAsync(runId, "line 5\n");

        await down();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3)); // the test keeps printing into the runner's buffer
        }
        finally
        {
            await up();
        }

        var run = await stack.WaitForFinalAsync(runId, TimeSpan.FromSeconds(120));
        Assert.True(run.Status == RunStatus.Passed, run.ToString());
        Assert.Equal(1, run.Attempt);
        var printed = (await stack.ReadLogAsync(runId)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.Contains(" [stdout] ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(" [stdout] ", StringComparison.Ordinal) + 10)..])
            .ToList();
        Assert.Equal(Enumerable.Range(1, Lines).Select(i => $"line {i}"), printed);
        await RunnerKit.AssertCleanedUpAsync(runId);
    }

    public async Task RunWhoseLogCannotBeStoredIsAnInfraErrorAsync()
    {
        await using var runner = await startRunner(RunnerSettings(retryAttempts: 1));
        var testId = await stack.UploadShellAsync("echo started\nsleep 2\necho this line has nowhere to go");
        var runId = await stack.RunNowAsync(testId);
        await WaitForLogAsync(runId, "started\n");

        await down();
        try
        {
            var run = await stack.WaitForFinalAsync(runId, TimeSpan.FromSeconds(120));
            Assert.True(run.Status == RunStatus.InfraError, run.ToString());
            Assert.False(string.IsNullOrEmpty(run.Error), run.ToString());
        }
        finally
        {
            await up();
        }

        await RunnerKit.AssertCleanedUpAsync(runId);
    }

    private static Dictionary<string, string?> RunnerSettings(int retryAttempts) => new(RunnerKit.FastSettings)
    {
        ["Byot:Runner:LogFlushMilliseconds"] = "100",
        ["Byot:Runner:LogRetryAttempts"] = retryAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Byot:Runner:LogRetryDelayMilliseconds"] = "200",
        ["Byot:Runner:MaxInfraAttempts"] = "1",
    };

    private async Task WaitForLogAsync(Guid runId, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await stack.ReadLogAsync(runId)).Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"run {runId} never logged '{text.Trim()}'");
            await Task.Delay(100);
        }
    }
}
