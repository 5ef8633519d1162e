using Byot.Shared.Domain;
using Byot.Tests.Infrastructure;
using Byot.Tests.Reliability;
using Xunit;

namespace Byot.Tests.Storage;

/// <summary>docs/reliability.md row 22 on the S3 backend: the S3 server unreachable while a run's log streams (a relay
/// of this class's own in front of the server is cut and reopened mid-run). A short outage costs nothing: the lines
/// wait in the runner's bounded buffer and every line lands once, in order. An outage that outlasts the retries is an
/// infra_error, never a pass.</summary>
public sealed class S3OutageTests(S3Environment fixture) : IClassFixture<S3Environment>, IAsyncLifetime
{
    private const int Lines = 60;
    private readonly TcpRelay relay = new(new Uri(S3Server.Url));
    private PrivateStack stack = null!;

    private ByotEnvironment Environment => fixture.Environment;

    private Dictionary<string, string?> Through => new(S3Server.Settings(relay.Url));

    public async Task InitializeAsync()
    {
        relay.Start();
        stack = await PrivateStack.StartAsync(Environment.Settings(Through), createDatabase: false);
    }

    public async Task DisposeAsync()
    {
        await stack.DisposeAsync();
        await relay.DisposeAsync();
    }

    [Fact]
    public async Task Lines_printed_while_S3_is_down_are_stored_once_after_it_returns()
    {
        await using var runner = await StartRunnerAsync(retryAttempts: 10);
        var testId = await stack.UploadShellAsync($"i=1\nwhile [ $i -le {Lines} ]; do echo \"line $i\"; i=$((i+1)); sleep 0.1; done");
        var runId = await stack.RunNowAsync(testId);
        await WaitForLogAsync(runId, "line 5\n");

        relay.Stop();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3)); // the test keeps printing into the runner's buffer
        }
        finally
        {
            relay.Start();
        }

        var run = await stack.WaitForFinalAsync(runId, TimeSpan.FromSeconds(120));
        Assert.True(run.Status == RunStatus.Passed, run.ToString());
        Assert.Equal(1, run.Attempt);
        var printed = (await Environment.ReadLogAsync($"{runId:D}.log")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.Contains(" [stdout] ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(" [stdout] ", StringComparison.Ordinal) + 10)..])
            .ToList();
        Assert.Equal(Enumerable.Range(1, Lines).Select(i => $"line {i}"), printed);
        await RunnerKit.AssertCleanedUpAsync(runId);
    }

    [Fact]
    public async Task Run_whose_log_cannot_be_stored_on_S3_is_an_infra_error_not_a_pass()
    {
        await using var runner = await StartRunnerAsync(retryAttempts: 1);
        var testId = await stack.UploadShellAsync("echo started\nsleep 2\necho this line has nowhere to go");
        var runId = await stack.RunNowAsync(testId);
        await WaitForLogAsync(runId, "started\n");

        relay.Stop();
        try
        {
            var run = await stack.WaitForFinalAsync(runId, TimeSpan.FromSeconds(120));
            Assert.True(run.Status == RunStatus.InfraError, run.ToString());
            Assert.False(string.IsNullOrEmpty(run.Error), run.ToString());
        }
        finally
        {
            relay.Start();
        }

        await RunnerKit.AssertCleanedUpAsync(runId);
    }

    private Task<RunnerHost> StartRunnerAsync(int retryAttempts) =>
        RunnerHost.StartAsync(Environment, new Dictionary<string, string?>(RunnerKit.FastSettings)
        {
            ["Byot:Storage:S3:ServiceUrl"] = relay.Url,
            ["Byot:Runner:LogFlushMilliseconds"] = "100",
            ["Byot:Runner:LogRetryAttempts"] = retryAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Byot:Runner:LogRetryDelayMilliseconds"] = "200",
            ["Byot:Runner:MaxInfraAttempts"] = "1",
        });

    private async Task WaitForLogAsync(Guid runId, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await Environment.ReadLogAsync($"{runId:D}.log")).Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"run {runId} never logged '{text.Trim()}'");
            await Task.Delay(100);
        }
    }
}
