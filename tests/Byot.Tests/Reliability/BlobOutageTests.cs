using Byot.Shared.Domain;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Reliability;

/// <summary>docs/reliability.md row 22: Blob storage unreachable while a run's log streams. The storage is a private Azurite of
/// this class's own, stopped and restarted mid-run. A short outage costs nothing: the lines wait in the runner's
/// bounded buffer and every line lands once, in order. An outage that outlasts the retries never becomes a pass.</summary>
public sealed class BlobOutageTests(ByotEnvironment environment, PrivateAzurite azurite)
    : IClassFixture<ByotEnvironment>, IClassFixture<PrivateAzurite>, IAsyncLifetime
{
    private const int Lines = 60;
    private Dictionary<string, string?> settings = null!;
    private PrivateStack stack = null!;

    public async Task InitializeAsync()
    {
        if (!azurite.Running)
        {
            await azurite.StartAsync();
        }

        settings = environment.Settings(new Dictionary<string, string?> { ["Byot:Storage:ConnectionString"] = azurite.ConnectionString });
        stack = await PrivateStack.StartAsync(settings, createDatabase: false);
    }

    public async Task DisposeAsync() => await stack.DisposeAsync();

    [Fact]
    public async Task Lines_printed_while_Blob_storage_is_down_are_stored_once_after_it_returns()
    {
        await using var runner = await StartRunnerAsync(retryAttempts: 10);
        var testId = await stack.UploadShellAsync($"i=1\nwhile [ $i -le {Lines} ]; do echo \"line $i\"; i=$((i+1)); sleep 0.1; done");
        var runId = await stack.RunNowAsync(testId);
        await WaitForLogAsync(runId, "line 5\n");

        await azurite.StopAsync();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3)); // the test keeps printing into the runner's buffer
        }
        finally
        {
            await azurite.StartAsync();
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

    [Fact]
    public async Task Run_whose_log_cannot_be_stored_is_an_infra_error_not_a_pass()
    {
        await using var runner = await StartRunnerAsync(retryAttempts: 1);
        var testId = await stack.UploadShellAsync("echo started\nsleep 2\necho this line has nowhere to go");
        var runId = await stack.RunNowAsync(testId);
        await WaitForLogAsync(runId, "started\n");

        await azurite.StopAsync();
        try
        {
            var run = await stack.WaitForFinalAsync(runId, TimeSpan.FromSeconds(120));
            Assert.True(run.Status == RunStatus.InfraError, run.ToString());
            Assert.False(string.IsNullOrEmpty(run.Error), run.ToString());
        }
        finally
        {
            await azurite.StartAsync();
        }

        await RunnerKit.AssertCleanedUpAsync(runId);
    }

    private Task<RunnerHost> StartRunnerAsync(int retryAttempts) =>
        RunnerHost.StartAsync(environment, new Dictionary<string, string?>(RunnerKit.FastSettings)
        {
            ["Byot:Storage:ConnectionString"] = azurite.ConnectionString,
            ["Byot:Runner:LogFlushMilliseconds"] = "100",
            ["Byot:Runner:LogRetryAttempts"] = retryAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Byot:Runner:LogRetryDelayMilliseconds"] = "200",
            ["Byot:Runner:MaxInfraAttempts"] = "1",
        });

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
