using System.Text.RegularExpressions;
using Byot.Functions.Http;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Api;

/// <summary>Following a run's log live, with a real container printing over time.</summary>
public sealed partial class FollowTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private static readonly byte[] Slow = "#!/bin/sh\nfor i in 1 2 3 4 5; do echo \"step $i\"; sleep 0.3; done\necho done >&2\nexit 4\n"u8.ToArray();

    private FunctionsClient client = null!;
    private ByotApi api = null!;
    private RunnerHost runner = null!;

    public async Task InitializeAsync()
    {
        client = new FunctionsClient(environment);
        api = new ByotApi(client);
        runner = await RunnerHost.StartAsync(environment);
    }

    public async Task DisposeAsync()
    {
        await runner.DisposeAsync();
        await client.DisposeAsync();
    }

    [Fact]
    public async Task Run_now_with_follow_streams_the_output_and_ends_with_the_result()
    {
        var id = (await api.UploadOkAsync(Slow, "go", fileName: "slow.sh")).ToString();

        var response = await client.InvokeAsync("POST", $"/run/{id}?follow=true",
            r => client.Function<RunsFunctions>().RunNow(r, id, CancellationToken.None));

        Assert.Equal(200, response.Status);
        Assert.StartsWith("text/plain", response.ContentType, StringComparison.Ordinal);
        var lines = response.Text.TrimEnd('\n').Split('\n');
        Assert.Equal(["step 1", "step 2", "step 3", "step 4", "step 5"], lines.Where(l => l.Contains("[stdout]", StringComparison.Ordinal)).Select(l => l[(l.IndexOf("] ", StringComparison.Ordinal) + 2)..]));
        Assert.Contains(lines, l => l.EndsWith("[stderr] done", StringComparison.Ordinal));
        Assert.Matches(Finished(), lines[^1]);
        Assert.Contains("failed (exit 4)", lines[^1], StringComparison.Ordinal);
        var runId = Guid.Parse(response.Headers["X-Byot-Run-Id"]);
        Assert.Equal("failed", (await api.GetRunAsync(runId.ToString())).Json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Server_sent_events_carry_byte_offsets_and_a_reconnect_resumes_without_gaps_or_repeats()
    {
        var id = await api.UploadOkAsync(Slow, "go", fileName: "slow.sh");
        var runId = (await api.RunNowOkAsync(id)).ToString();
        await api.WaitForFinalAsync(Guid.Parse(runId));
        var blob = await environment.ReadLogAsync($"{runId}.log");

        var whole = await FollowAsync(runId, null);
        var events = Events(whole.Text);
        Assert.Equal("text/event-stream; charset=utf-8", whole.ContentType);
        Assert.Equal("end", events[^1].Event);
        Assert.Contains("\"status\":\"failed\"", events[^1].Data, StringComparison.Ordinal);
        var lines = events.Where(e => e.Event is null).ToList();
        Assert.Equal(blob.TrimEnd('\n').Split('\n'), lines.Select(e => e.Data));
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(blob), lines[^1].Id);

        // Resume after the third line: exactly the rest, nothing twice.
        var resumed = Events((await FollowAsync(runId, lines[2].Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).Text);
        Assert.Equal(lines.Skip(3).Select(e => e.Data), resumed.Where(e => e.Event is null).Select(e => e.Data));
        Assert.Equal("end", resumed[^1].Event);
    }

    [Fact]
    public async Task Bad_follow_parameters_are_400()
    {
        var id = await api.UploadOkAsync(Slow, "go");
        var runId = (await api.RunNowOkAsync(id)).ToString();

        var badFollow = await client.InvokeAsync("GET", $"/runs/{runId}/logs?follow=maybe", r => client.Function<RunsFunctions>().GetRunLogs(r, runId, CancellationToken.None));
        var badOffset = await client.InvokeAsync("GET", $"/runs/{runId}/logs?follow=true", r => client.Function<RunsFunctions>().GetRunLogs(r, runId, CancellationToken.None),
            requestHeaders: new Dictionary<string, string> { ["Last-Event-ID"] = "-3" });

        Assert.Equal(400, badFollow.Status);
        Assert.Equal("follow", badFollow.Json.GetProperty("field").GetString());
        Assert.Equal(400, badOffset.Status);
        Assert.Equal("offset", badOffset.Json.GetProperty("field").GetString());
    }

    private Task<TestResponse> FollowAsync(string runId, string? lastEventId) => ServerSentEvents.FollowAsync(client, runId, lastEventId);

    private static List<(long Id, string? Event, string Data)> Events(string text) => ServerSentEvents.Parse(text);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z \[byot\] run [0-9a-f-]{36} finished: ")]
    private static partial Regex Finished();
}
