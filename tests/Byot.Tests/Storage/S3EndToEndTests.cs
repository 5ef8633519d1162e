using System.Globalization;
using System.Text;
using Byot.Functions.Http;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Storage;

/// <summary>The walking skeleton and live follow with artifacts and logs on the S3 backend: upload through the
/// function, the real Runner runs the test in a container, the log is appended as chunk objects while it runs and
/// followed live with byte offsets, the run's files are kept, listed and downloaded, and deleting the test removes
/// its artifact from the bucket.</summary>
public sealed class S3EndToEndTests(S3Environment fixture) : IClassFixture<S3Environment>, IAsyncLifetime
{
    private static readonly byte[] Slow = Encoding.UTF8.GetBytes(
        "#!/bin/sh\nmkdir -p /artifacts\nprintf 'report-bytes' > /artifacts/report.txt\n" +
        "for i in 1 2 3 4 5 6; do echo \"step $i\"; sleep 0.3; done\necho done >&2\nexit 3\n");

    private FunctionsClient client = null!;
    private RunnerHost runner = null!;
    private ByotApi api = null!;

    private ByotEnvironment Environment => fixture.Environment;

    public async Task InitializeAsync()
    {
        client = new FunctionsClient(Environment);
        api = new ByotApi(client);
        runner = await RunnerHost.StartAsync(Environment, new Dictionary<string, string?> { ["Byot:Runner:LogFlushMilliseconds"] = "100" });
    }

    public async Task DisposeAsync()
    {
        await runner.DisposeAsync();
        await client.DisposeAsync();
    }

    [Fact]
    public async Task A_run_on_S3_is_followed_live_resumes_at_an_offset_and_keeps_its_files()
    {
        var testId = await api.UploadOkAsync(Slow, "go", fileName: "slow.sh");
        Assert.Contains($"{testId:D}/v1/artifact", await Environment.ArtifactBlobNamesAsync());
        var runId = (await api.RunNowOkAsync(testId)).ToString();

        // Followed from the start while the run goes on: every line arrives, then the end event.
        var live = Events((await FollowAsync(runId, null)).Text);
        var run = await api.WaitForFinalAsync(Guid.Parse(runId));
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Equal(3, run.GetProperty("exitCode").GetInt32());

        var stored = await Environment.ReadLogAsync($"{runId}.log");
        Assert.True((await S3Server.KeysAsync(Environment.LogsContainer, $"{runId}.log/")).Count > 1, "the log should be several chunk objects");
        var lines = live.Where(e => e.Event is null).ToList();
        Assert.Equal("end", live[^1].Event);
        Assert.Equal(stored.TrimEnd('\n').Split('\n'), lines.Select(e => e.Data));
        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"step {i}"), lines.Where(e => e.Data.Contains("[stdout]", StringComparison.Ordinal)).Select(e => e.Data[(e.Data.IndexOf("] ", StringComparison.Ordinal) + 2)..]));
        Assert.Equal(Encoding.UTF8.GetByteCount(stored), lines[^1].Id);
        Assert.Equal(Encoding.UTF8.GetByteCount(stored), run.GetProperty("logBytes").GetInt64());

        var plain = await api.GetLogsAsync(runId);
        Assert.Equal(stored, plain.Text);
        var resumed = Events((await FollowAsync(runId, lines[2].Id.ToString(CultureInfo.InvariantCulture))).Text);
        Assert.Equal(lines.Skip(3).Select(e => e.Data), resumed.Where(e => e.Event is null).Select(e => e.Data));

        var list = await client.InvokeAsync("GET", $"/runs/{runId}/artifacts", r => client.Function<RunArtifactsFunctions>().List(r, runId, CancellationToken.None));
        Assert.Equal(200, list.Status);
        Assert.Contains("report.txt", list.Text, StringComparison.Ordinal);
        var file = await client.InvokeAsync("GET", $"/runs/{runId}/artifacts/report.txt",
            r => client.Function<RunArtifactsFunctions>().Get(r, runId, "report.txt", CancellationToken.None));
        Assert.Equal(200, file.Status);
        Assert.Equal("report-bytes", file.Text);

        Assert.Equal(204, (await api.DeleteTestAsync(testId.ToString("D"))).Status);
        Assert.DoesNotContain($"{testId:D}/v1/artifact", await Environment.ArtifactBlobNamesAsync());
    }

    [Fact]
    public async Task Health_probes_the_S3_bucket()
    {
        var health = await api.HealthAsync();

        Assert.Equal(200, health.Status);
        Assert.Equal("ok", health.Json.GetProperty("checks").GetProperty("blob").GetString());
    }

    private Task<TestResponse> FollowAsync(string runId, string? lastEventId) => ServerSentEvents.FollowAsync(client, runId, lastEventId);

    private static List<(long Id, string? Event, string Data)> Events(string text) => ServerSentEvents.Parse(text);
}
