using System.Text;
using System.Text.RegularExpressions;
using Byot.Functions.Http;
using Byot.Shared.Artifacts;
using Byot.Shared.Runs;
using Byot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Byot.Tests.Api;

/// <summary>Live follow against a real log blob of a run nobody executes (it stays queued, so every follow runs
/// into its time budget): bounded range reads give back exactly the stored lines and offsets, follows are capped per
/// instance with 429, and a plain-text follow that runs out of time says where to resume.</summary>
public sealed partial class FollowLimitsTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private FunctionsClient client = null!;
    private ByotApi api = null!;

    public async Task InitializeAsync()
    {
        client = new FunctionsClient(environment, new Dictionary<string, string?>
        {
            ["Byot:Api:FollowMaxSeconds"] = "1",
            ["Byot:Api:FollowPollMilliseconds"] = "50",
            ["Byot:Api:FollowReadBytes"] = "4096",
            ["Byot:Api:MaxConcurrentFollows"] = "1",
        });
        api = new ByotApi(client);
        await Task.CompletedTask;
    }

    public async Task DisposeAsync() => await client.DisposeAsync();

    [Fact]
    public async Task Lines_longer_than_a_read_and_characters_split_across_reads_come_back_whole_with_byte_offsets()
    {
        var runId = await QueuedRunAsync();
        var lines = Enumerable.Range(0, 300).Select(i => i % 50 == 7 ? new string('é', 5000 + i) : $"line {i} ✓ {new string('x', i * 13 % 97)}").ToList();
        var log = string.Concat(lines.Select(l => l + "\n"));
        await WriteLogAsync(runId, log);

        // Finished, and followed with time to spare: the stream ends at the end event, not at a deadline.
        await environment.ScalarAsync("WITH u AS (UPDATE runs SET status = 'passed', finished_at = now() WHERE id = @id RETURNING 1) SELECT count(*) FROM u", ("id", runId));
        await using var patient = new FunctionsClient(environment, new Dictionary<string, string?> { ["Byot:Api:FollowReadBytes"] = "4096" });
        var response = await patient.InvokeAsync("GET", $"/runs/{runId:D}/logs?follow=true",
            r => patient.Function<RunsFunctions>().GetRunLogs(r, runId.ToString("D"), CancellationToken.None),
            requestHeaders: new Dictionary<string, string> { ["Accept"] = "text/event-stream" });

        var events = Sse(response.Text);
        Assert.Contains("event: end", response.Text, StringComparison.Ordinal);
        Assert.Equal(lines, events.Where(e => e.Id is not null && !e.Data.StartsWith('{')).Select(e => e.Data));
        var expectedOffsets = lines.Select((_, i) => (long)Encoding.UTF8.GetByteCount(string.Concat(lines.Take(i + 1).Select(l => l + "\n")))).ToList();
        Assert.Equal(expectedOffsets, events.Where(e => e.Id is not null && !e.Data.StartsWith('{')).Select(e => e.Id!.Value));
    }

    [Fact]
    public async Task A_plain_follow_that_runs_out_of_time_ends_with_the_offset_and_the_url_to_resume_with()
    {
        var runId = await QueuedRunAsync();
        await WriteLogAsync(runId, "one\ntwo\n");

        var first = await FollowAsync(runId, "", sse: false);
        var lines = first.Text.TrimEnd('\n').Split('\n');
        Assert.Equal(200, first.Status);
        Assert.Equal(["one", "two"], lines[..^1]);
        var resume = Resume().Match(lines[^1]);
        Assert.True(resume.Success, lines[^1]);
        Assert.Equal("8", resume.Groups["offset"].Value);
        Assert.Equal($"/runs/{runId:D}/logs?follow=true&offset=8", resume.Groups["url"].Value);

        await AppendLogAsync(runId, "three\n", 8);
        var resumed = await FollowAsync(runId, "&offset=8", sse: false);
        var rest = resumed.Text.TrimEnd('\n').Split('\n');
        Assert.Equal(["three"], rest[..^1]);
        Assert.Equal("14", Resume().Match(rest[^1]).Groups["offset"].Value);
    }

    [Fact]
    public async Task Follows_beyond_the_instance_cap_are_429_and_the_place_comes_back_when_a_follow_ends()
    {
        var runId = await QueuedRunAsync();
        var testId = (await api.GetRunAsync(runId.ToString())).Json.GetProperty("testId").GetString()!;

        using (client.Function<LogFollower>().Enter())
        {
            var refused = await FollowAsync(runId, "", sse: false);
            var refusedRunNow = await client.RunNowWithBodyAsync(testId, """{"timeout": 77}""", "?follow=true");

            Assert.True(refused.Status == 429, refused.ToString());
            Assert.Equal("application/problem+json; charset=utf-8", refused.ContentType);
            Assert.Contains("Byot:Api:MaxConcurrentFollows", refused.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(429, refusedRunNow.Status);
            Assert.Equal(1, await environment.ScalarAsync("SELECT count(*) FROM runs WHERE test_id = @t", ("t", Guid.Parse(testId))));
        }

        // With a cap of one, each of these only gets a place because the one before gave it back.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (await FollowAsync(runId, "", sse: i % 2 == 0)).Status);
        }

        var badId = await client.InvokeAsync("GET", "/runs/nope/logs?follow=true", r => client.Function<RunsFunctions>().GetRunLogs(r, "nope", CancellationToken.None));
        Assert.Equal(400, badId.Status);
        Assert.Equal(200, (await FollowAsync(runId, "", sse: false)).Status);
    }

    private async Task<Guid> QueuedRunAsync()
    {
        var testId = await api.UploadOkAsync("#!/bin/sh\necho hi\n"u8.ToArray(), "go");
        return await api.RunNowOkAsync(testId);
    }

    private async Task WriteLogAsync(Guid runId, string text)
    {
        var logs = client.Services.GetRequiredService<LogStore>();
        await logs.CreateAsync($"{runId:D}.log", CancellationToken.None);
        await AppendLogAsync(runId, text, 0);
    }

    private Task<long> AppendLogAsync(Guid runId, string text, long position) =>
        client.Services.GetRequiredService<LogStore>().AppendAsync($"{runId:D}.log", Encoding.UTF8.GetBytes(text), position, CancellationToken.None);

    private Task<TestResponse> FollowAsync(Guid runId, string query, bool sse) =>
        client.InvokeAsync("GET", $"/runs/{runId:D}/logs?follow=true{query}",
            r => client.Function<RunsFunctions>().GetRunLogs(r, runId.ToString("D"), CancellationToken.None),
            requestHeaders: sse ? new Dictionary<string, string> { ["Accept"] = "text/event-stream" } : null);

    private static List<(long? Id, string Data)> Sse(string text) =>
        [.. text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Where(b => !b.StartsWith(':')).Select(block =>
        {
            long? id = null;
            var data = "";
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith("id: ", StringComparison.Ordinal)) { id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture); }
                else if (line.StartsWith("data: ", StringComparison.Ordinal)) { data = line[6..]; }
            }

            return (id, data);
        })];

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z \[byot\] follow time is up at byte offset (?<offset>\d+); run [0-9a-f-]{36} is still queued\. Resume with GET (?<url>\S+)$")]
    private static partial Regex Resume();
}
