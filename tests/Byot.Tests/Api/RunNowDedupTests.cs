using Byot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Byot.Tests.Api;

/// <summary>A burst of run-now calls for one test is bounded: a call while an equal manual run is queued answers
/// that run, and at most Byot:Api:MaxQueuedManualRuns manual runs of a test wait at once. No runner consumes the
/// queue here, so every run stays queued.</summary>
public sealed class RunNowDedupTests(ByotEnvironment environment) : ApiTestBase(environment, new Dictionary<string, string?> { ["Byot:Api:MaxQueuedManualRuns"] = "2" })
{
    private const int Calls = 16;


    [Fact]
    public async Task Concurrent_run_now_calls_make_one_run_and_all_answer_it()
    {
        // Warm connections first, so the calls race each other and not the pool's connection opening.
        var dataSource = Client.Services.GetRequiredService<NpgsqlDataSource>();
        var warm = await Task.WhenAll(Enumerable.Range(0, Calls).Select(_ => dataSource.OpenConnectionAsync().AsTask()));
        foreach (var connection in warm)
        {
            await connection.DisposeAsync();
        }

        var made = new List<Guid>();
        for (var round = 0; round < 5; round++)
        {
            var testId = await Api.UploadOkAsync("#!/bin/sh\necho hi\n"u8.ToArray(), "go");
            using var start = new ManualResetEventSlim();
            var calls = Enumerable.Range(0, Calls).Select(_ => Task.Run(() =>
            {
                start.Wait();
                return Api.RunNowAsync(testId.ToString());
            })).ToList();
            start.Set();
            var responses = await Task.WhenAll(calls);

            Assert.All(responses, r => Assert.True(r.Status is 200 or 202, r.ToString()));
            Assert.Single(responses, r => r.Status == 202);
            var ids = responses.Select(r => r.Json.GetProperty("id").GetGuid()).Distinct().ToList();
            Assert.Single(ids);
            made.Add(ids[0]);
            Assert.Equal(1, await Fixture.ScalarAsync("SELECT count(*) FROM runs WHERE test_id = @t", ("t", testId)));

            // The 200s carry the same run view the 202 did.
            var accepted = responses.Single(r => r.Status == 202).Json;
            var again = responses.First(r => r.Status == 200).Json;
            Assert.Equal(accepted.GetProperty("status").GetString(), again.GetProperty("status").GetString());
            Assert.Equal(accepted.GetProperty("queuedAt").GetString(), again.GetProperty("queuedAt").GetString());
        }

        // One message per run: the answered calls put nothing on the queue.
        var messages = (await Fixture.Queues.GetQueueClient(Fixture.RunsQueue).PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()).ToList();
        Assert.All(made, id => Assert.Single(messages, m => m.Contains(id.ToString("D"), StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Runs_with_other_options_queue_up_to_the_cap_then_429()
    {
        var testId = (await Api.UploadOkAsync("#!/bin/sh\necho hi\n"u8.ToArray(), "go")).ToString();

        var first = await Client.RunNowWithBodyAsync(testId, """{"timeout": 40}""");
        var second = await Client.RunNowWithBodyAsync(testId, """{"timeout": 50}""");
        var third = await Client.RunNowWithBodyAsync(testId, """{"timeout": 60}""");
        var sameAsFirst = await Client.RunNowWithBodyAsync(testId, """{"timeout": 40}""");

        Assert.Equal(202, first.Status);
        Assert.Equal(202, second.Status);
        Assert.True(third.Status == 429, third.ToString());
        Assert.Equal("application/problem+json; charset=utf-8", third.ContentType);
        Assert.Contains("Byot:Api:MaxQueuedManualRuns", third.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, sameAsFirst.Status);
        Assert.Equal(first.Json.GetProperty("id").GetGuid(), sameAsFirst.Json.GetProperty("id").GetGuid());
        Assert.Equal(2, await Fixture.ScalarAsync("SELECT count(*) FROM runs WHERE test_id = @t", ("t", Guid.Parse(testId))));
    }

    [Fact]
    public async Task After_a_new_artifact_version_a_new_run_is_queued()
    {
        var testId = await Api.UploadOkAsync("#!/bin/sh\necho v1\n"u8.ToArray(), "go");
        var first = await Api.RunNowOkAsync(testId);
        Assert.Equal(201, (await Api.UploadVersionAsync(testId.ToString(), "#!/bin/sh\necho v2\n"u8.ToArray())).Status);

        var second = await Api.RunNowAsync(testId.ToString());

        Assert.Equal(202, second.Status);
        Assert.NotEqual(first, second.Json.GetProperty("id").GetGuid());
        Assert.Equal(2, second.Json.GetProperty("artifactVersion").GetInt32());
    }

    [Fact]
    public async Task Once_the_queued_run_has_started_a_new_call_queues_a_new_run()
    {
        var testId = await Api.UploadOkAsync("#!/bin/sh\necho hi\n"u8.ToArray(), "go");
        var first = await Api.RunNowOkAsync(testId);
        await Fixture.ScalarAsync("WITH u AS (UPDATE runs SET status = 'running', lease_until = now() + interval '1 minute' WHERE id = @id RETURNING 1) SELECT count(*) FROM u", ("id", first));

        var second = await Api.RunNowOkAsync(testId);

        Assert.NotEqual(first, second);
    }
}
