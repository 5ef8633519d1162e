using System.Text.Json;
using Byot.Tests.Infrastructure;
using Xunit;
using S = Byot.Tests.Infrastructure.Scheduling;

namespace Byot.Tests.Scheduling;

/// <summary>Schedules end to end with the real Runner, and docs/reliability.md row 9.</summary>
public sealed class ScheduledRunTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private static readonly byte[] Passing = "#!/bin/sh\necho scheduled ok\n"u8.ToArray();

    private FunctionsClient client = null!;
    private ByotApi api = null!;

    public async Task InitializeAsync()
    {
        client = new FunctionsClient(environment);
        api = new ByotApi(client);

        // The class shares one queue: start each test with it empty.
        await environment.Queues.GetQueueClient(environment.RunsQueue).ClearMessagesAsync();
    }

    public async Task DisposeAsync() => await client.DisposeAsync();

    [Fact]
    public async Task A_test_uploaded_with_a_schedule_is_run_by_the_runner_at_its_slot()
    {
        var upload = await api.UploadAsync(Passing, "check.sh", [("runtime", "go"), ("schedule", "10s")]);
        Assert.Equal(201, upload.Status);
        var testId = upload.Json.GetProperty("id").GetGuid();
        var view = await GetTestAsync(testId);
        var next = view.GetProperty("schedule").GetProperty("nextRunAt").GetDateTimeOffset();
        Assert.Equal("10s", view.GetProperty("schedule").GetProperty("expression").GetString());
        Assert.Equal(0, next.ToUnixTimeSeconds() % 10);

        await using var runner = await RunnerHost.StartAsync(environment);
        var result = await S.NewScheduler(client).TickAsync(next.AddSeconds(-1), CancellationToken.None);
        Assert.Equal(1, result.RunsEnqueued);

        var runId = await WaitForRunAsync(testId);
        var run = await api.WaitForFinalAsync(runId);
        Assert.Equal("passed", run.GetProperty("status").GetString());
        Assert.Equal("schedule", run.GetProperty("trigger").GetString());
        Assert.True(run.GetProperty("startedAt").GetDateTimeOffset() >= next, "a scheduled run must not start before its slot");
        Assert.Contains("[stdout] scheduled ok", (await api.GetLogsAsync(runId.ToString())).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_test_disabled_between_enqueue_and_dequeue_is_cancelled_and_its_message_deleted()
    {
        var testId = await api.UploadOkAsync(Passing, "go");
        var runId = await api.RunNowOkAsync(testId);
        var patch = await PatchAsync(testId, """{"enabled": false}""");
        Assert.Equal(200, patch.Status);
        Assert.False(patch.Json.GetProperty("enabled").GetBoolean());

        await using var runner = await RunnerHost.StartAsync(environment);
        var run = await api.WaitForFinalAsync(runId);

        Assert.Equal("cancelled", run.GetProperty("status").GetString());
        Assert.Contains("disabled", run.GetProperty("error").GetString(), StringComparison.Ordinal);
        await AssertQueueEmptyAsync();
    }

    [Fact]
    public async Task A_test_deleted_between_enqueue_and_dequeue_is_never_executed_and_its_message_deleted()
    {
        var testId = await api.UploadOkAsync(Passing, "go");
        var runId = await api.RunNowOkAsync(testId);
        await environment.ScalarAsync("WITH d AS (DELETE FROM tests WHERE id = @id RETURNING 1) SELECT count(*) FROM d", ("id", testId));

        await using var runner = await RunnerHost.StartAsync(environment);

        await AssertQueueEmptyAsync();
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM runs WHERE id = @id", ("id", runId)));
        Assert.False(await environment.Blobs.GetBlobContainerClient(environment.LogsContainer).GetBlobClient($"{runId:D}.log").ExistsAsync());
    }

    [Fact]
    public async Task A_scheduled_run_that_comes_due_while_the_previous_one_runs_is_skipped_by_the_runner()
    {
        var testId = await api.UploadOkAsync(Passing, "go");

        // A manual run of the same test is going on on another runner.
        var running = await api.RunNowOkAsync(testId);
        await environment.Queues.GetQueueClient(environment.RunsQueue).ClearMessagesAsync();
        // Queued "later" than any slot the tick plans, so the scheduler never takes it for a backlog and skips the slot
        // itself: this test is about the runner's own check (which looks at the live lease, not at queued_at).
        await environment.ScalarAsync("WITH u AS (UPDATE runs SET status = 'running', runner_id = 'other', lease_until = now() + interval '5 minutes', started_at = now(), queued_at = now() + interval '1 hour' WHERE id = @id RETURNING 1) SELECT count(*) FROM u", ("id", running));

        var slot = S.NextTenSecondSlot(DateTimeOffset.UtcNow.AddSeconds(4));
        await S.SetScheduleAsync(environment, testId, "10s", slot);
        await S.NewScheduler(client).TickAsync(slot.AddSeconds(-1), CancellationToken.None);
        var runId = Guid.Parse((await environment.DataSource.CreateCommand($"SELECT id::text FROM runs WHERE test_id = '{testId}' AND scheduled_for IS NOT NULL").ExecuteScalarAsync())!.ToString()!);

        await using var runner = await RunnerHost.StartAsync(environment);
        var run = await api.WaitForFinalAsync(runId);

        Assert.Equal("skipped", run.GetProperty("status").GetString());
        Assert.Contains("still running", run.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("running", (await api.GetRunAsync(running.ToString())).Json.GetProperty("status").GetString());
        await AssertQueueEmptyAsync();

        // Its 10-second schedule would otherwise come due in the other tests' ticks on this shared database.
        await api.DeleteTestAsync(testId.ToString("D"));
    }

    private async Task AssertQueueEmptyAsync()
    {
        var queue = environment.Queues.GetQueueClient(environment.RunsQueue);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the runner left the message on the queue");
            await Task.Delay(100);
        }
    }

    private async Task<Guid> WaitForRunAsync(Guid testId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var id = await environment.DataSource.CreateCommand($"SELECT id::text FROM runs WHERE test_id = '{testId}' LIMIT 1").ExecuteScalarAsync();
            if (id is string text)
            {
                return Guid.Parse(text);
            }

            Assert.True(DateTime.UtcNow < deadline, "no scheduled run was created");
            await Task.Delay(100);
        }
    }

    private async Task<JsonElement> GetTestAsync(Guid testId)
    {
        var id = testId.ToString();
        var response = await client.InvokeAsync("GET", $"/tests/{id}", r => client.Function<Byot.Functions.Http.TestsFunctions>().GetTest(r, id, CancellationToken.None));
        Assert.Equal(200, response.Status);
        return response.Json.Clone();
    }

    private Task<TestResponse> PatchAsync(Guid testId, string json)
    {
        var id = testId.ToString();
        return client.InvokeAsync("PATCH", $"/tests/{id}", r => client.Function<Byot.Functions.Http.TestsFunctions>().UpdateTest(r, id, CancellationToken.None),
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "application/json");
    }
}
