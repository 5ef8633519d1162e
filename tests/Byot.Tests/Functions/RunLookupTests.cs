using Xunit;

namespace Byot.Tests.Functions;

/// <summary>docs/reliability.md row 5 for the run endpoints: malformed ids are 400, unknown ids 404, both problem+json; a
/// refused run-now leaves no run row and no queue message.</summary>
public sealed class RunLookupTests(ByotEnvironment environment) : ApiTestBase(environment)
{
    public static TheoryData<string> MalformedIds => ["not-a-uuid", "1", "'; DROP TABLE runs; --", "a3f8b2c1", "00000000-0000-0000-0000-00000000000g", new string('9', 300)];

    [Theory]
    [MemberData(nameof(MalformedIds))]
    public async Task Malformed_ids_are_400_on_every_run_endpoint(string id)
    {
        foreach (var response in new[] { await Api.RunNowAsync(id), await Api.GetRunAsync(id), await Api.GetLogsAsync(id) })
        {
            Assert.True(response.Status == 400, response.ToString());
            Assert.Equal("application/problem+json; charset=utf-8", response.ContentType);
            Assert.Equal("urn:byot:problem:malformed-id", response.Json.GetProperty("type").GetString());
            Assert.Contains("UUID", response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        await AssertNoRunsAsync();
    }

    [Fact]
    public async Task Unknown_ids_are_404_on_every_run_endpoint()
    {
        var id = Guid.NewGuid().ToString();
        var runNow = await Api.RunNowAsync(id);
        Assert.Equal(404, runNow.Status);
        Assert.Contains("No test with id", runNow.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);

        foreach (var response in new[] { await Api.GetRunAsync(id), await Api.GetLogsAsync(id) })
        {
            Assert.Equal(404, response.Status);
            Assert.Equal("urn:byot:problem:not-found", response.Json.GetProperty("type").GetString());
            Assert.Contains("No run with id", response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        await AssertNoRunsAsync();
    }

    [Fact]
    public async Task Run_now_queues_a_row_and_a_message_that_carries_only_the_run_id()
    {
        var testId = await Api.UploadOkAsync("#!/bin/sh\n"u8.ToArray(), "go");

        var response = await Api.RunNowAsync(testId.ToString());

        Assert.Equal(202, response.Status);
        var runId = response.Json.GetProperty("id").GetGuid();
        Assert.Equal($"/runs/{runId:D}", response.Headers["Location"]);
        Assert.Equal(1, await Fixture.ScalarAsync("SELECT count(*) FROM runs WHERE id = @id AND status = 'queued' AND enqueued_at IS NOT NULL AND trigger = 'manual'", ("id", runId)));

        var messages = (await Fixture.Queues.GetQueueClient(Fixture.RunsQueue).ReceiveMessagesAsync(32)).Value;
        var message = Assert.Single(messages);
        Assert.Equal($"{{\"runId\":\"{runId:D}\"}}", message.Body.ToString());

        var run = await Api.GetRunAsync(runId.ToString());
        Assert.Equal("queued", run.Json.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, run.Json.GetProperty("exitCode").ValueKind);

        var logs = await Api.GetLogsAsync(runId.ToString());
        Assert.Equal(200, logs.Status);
        Assert.Empty(logs.Body);
    }

    private async Task AssertNoRunsAsync()
    {
        Assert.Equal(0, await Fixture.ScalarAsync("SELECT count(*) FROM runs WHERE trigger = 'manual' AND test_id NOT IN (SELECT id FROM tests)"));
        var peek = (await Fixture.Queues.GetQueueClient(Fixture.RunsQueue).PeekMessagesAsync(32)).Value;
        Assert.Empty(peek);
    }
}
