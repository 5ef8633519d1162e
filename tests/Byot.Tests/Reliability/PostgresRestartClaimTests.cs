using Byot.Shared.Storage;
using Byot.Tests.Infrastructure;
using Xunit;
using S = Byot.Tests.Infrastructure.Scheduling;

namespace Byot.Tests.Reliability;

/// <summary>A Postgres restart between runs costs a reconnect, not a run: every pooled connection of the Runner is
/// dead afterwards, and its next claim must still succeed on the message's first delivery. The runner here allows one
/// delivery only (MaxDequeueCount 1), so a claim that failed and waited for the message to reappear would close the
/// run as infra_error instead of passing it. An API read while the server is down is a 503 problem+json, never a 500.</summary>
public sealed class PostgresRestartClaimTests(ByotEnvironment environment, PrivatePostgres postgres)
    : IClassFixture<ByotEnvironment>, IClassFixture<PrivatePostgres>, IAsyncLifetime
{
    private Dictionary<string, string?> settings = null!;
    private PrivateStack stack = null!;
    private FunctionsClient client = null!;

    public async Task InitializeAsync()
    {
        settings = new Dictionary<string, string?>
        {
            ["Byot:Database:ConnectionString"] = postgres.Server + ";Database=byot_claim_" + Guid.NewGuid().ToString("N")[..8],
        };
        stack = await PrivateStack.StartAsync(environment.Settings(settings), createDatabase: true);
        client = new FunctionsClient(environment, settings);
    }

    public async Task DisposeAsync()
    {
        await client.DisposeAsync();
        await stack.DisposeAsync();
    }

    [Fact]
    public async Task Next_scheduled_run_after_a_restart_is_claimed_on_its_first_delivery_and_reads_are_never_500()
    {
        var api = new ByotApi(client);
        await using var runner = await RunnerHost.StartAsync(environment, new Dictionary<string, string?>(RunnerKit.FastSettings)
        {
            ["Byot:Database:ConnectionString"] = settings["Byot:Database:ConnectionString"],
            ["Byot:Runner:MaxDequeueCount"] = "1",
            ["Byot:Runner:RecordRetryDelayMilliseconds"] = "100",
        });
        var upload = await api.UploadAsync(RunnerKit.Shell("echo run ok"), "slot.sh", [("runtime", "go"), ("schedule", "10s")]);
        Assert.True(upload.Status == 201, upload.ToString());
        var testId = upload.Json.GetProperty("id").GetGuid();

        // A first run fills the runner's connection pool (claim, lease, result).
        var warm = await api.RunNowOkAsync(testId);
        Assert.Equal("passed", (await api.WaitForFinalAsync(warm)).GetProperty("status").GetString());

        await postgres.StopAsync();
        try
        {
            var down = await api.GetRunAsync(warm.ToString());
            Assert.True(down.Status == 503, down.ToString());
            Assert.StartsWith("application/problem+json", down.ContentType, StringComparison.Ordinal);
            Assert.Equal("urn:byot:problem:database-unavailable", down.Json.GetProperty("type").GetString());
        }
        finally
        {
            await postgres.StartAsync();
        }

        // Right after the restart the API's own pooled connections are dead too: a read succeeds or is a 503.
        var after = await api.GetRunAsync(warm.ToString());
        Assert.True(after.Status is 200 or 503, after.ToString());

        var slot = await TickUntilEnqueuedAsync(api, testId);
        var runId = await FindScheduledRunAsync(slot);
        var run = await api.WaitForFinalAsync(runId, TimeSpan.FromSeconds(90));

        Assert.True(run.GetProperty("status").GetString() == "passed", run.ToString());
        Assert.Equal(1, run.GetProperty("attempt").GetInt32());
        Assert.Equal(slot, run.GetProperty("scheduledFor").GetDateTimeOffset());
        Assert.Contains("[stdout] run ok", await stack.ReadLogAsync(runId), StringComparison.Ordinal);
    }

    /// <summary>The scheduler's tick, retried as the real timer would tick again after a failed one.</summary>
    private async Task<DateTimeOffset> TickUntilEnqueuedAsync(ByotApi api, Guid testId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                var view = await api.GetTestAsync(testId.ToString());
                if (view.Status == 200)
                {
                    var slot = view.Json.GetProperty("schedule").GetProperty("nextRunAt").GetDateTimeOffset();
                    var tick = await S.NewScheduler(client).TickAsync(slot.AddSeconds(-1), CancellationToken.None);
                    if (tick.RunsEnqueued == 1)
                    {
                        return slot;
                    }
                }
            }
            catch (Exception e) when (PostgresFaults.IsTransient(e))
            {
            }

            Assert.True(DateTime.UtcNow < deadline, "the scheduler never enqueued the next slot");
            await Task.Delay(200);
        }
    }

    private async Task<Guid> FindScheduledRunAsync(DateTimeOffset slot)
    {
        await using var source = Npgsql.NpgsqlDataSource.Create(stack.ConnectionString);
        await using var command = source.CreateCommand("SELECT id FROM runs WHERE scheduled_for = @slot");
        command.Parameters.AddWithValue("slot", slot);
        return (Guid)(await command.ExecuteScalarAsync())!;
    }
}
