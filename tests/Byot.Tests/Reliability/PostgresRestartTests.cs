using Byot.Shared.Domain;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Reliability;

/// <summary>docs/reliability.md row 21: Postgres restarts mid-run. The server is a private cluster of this class's own (the
/// shared one serves other tests); it is stopped while the run goes on and kept down until the container has exited,
/// so the runner's first attempts to record the result fail. After the restart the result is written exactly once,
/// by the first attempt, without the run being retried.</summary>
public sealed class PostgresRestartTests(ByotEnvironment environment, PrivatePostgres postgres)
    : IClassFixture<ByotEnvironment>, IClassFixture<PrivatePostgres>, IAsyncLifetime
{
    private Dictionary<string, string?> settings = null!;
    private PrivateStack stack = null!;

    public async Task InitializeAsync()
    {
        settings = environment.Settings(new Dictionary<string, string?>
        {
            ["Byot:Database:ConnectionString"] = postgres.Server + ";Database=byot_r21_" + Guid.NewGuid().ToString("N")[..8],
        });
        stack = await PrivateStack.StartAsync(settings, createDatabase: true);

        // Every transition of a run into a final state, as the server saw it: "written once" is counted, not assumed.
        await stack.ScalarAsync("""
            CREATE TABLE result_writes (run_id uuid NOT NULL, status text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
            CREATE FUNCTION note_result() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN INSERT INTO result_writes (run_id, status) VALUES (NEW.id, NEW.status); RETURN NEW; END $$;
            CREATE TRIGGER note_result AFTER UPDATE ON runs FOR EACH ROW
            WHEN (NEW.finished_at IS NOT NULL AND OLD.finished_at IS NULL) EXECUTE FUNCTION note_result();
            SELECT 1;
            """);
    }

    public async Task DisposeAsync() => await stack.DisposeAsync();

    [Fact]
    public async Task Result_is_written_exactly_once_after_Postgres_restarts_mid_run()
    {
        await using var runner = await RunnerHost.StartAsync(environment, new Dictionary<string, string?>(RunnerKit.FastSettings)
        {
            ["Byot:Database:ConnectionString"] = settings["Byot:Database:ConnectionString"],
            ["Byot:Runner:RecordRetryAttempts"] = "10",
            ["Byot:Runner:RecordRetryDelayMilliseconds"] = "200",
        });
        var testId = await stack.UploadShellAsync("echo before the restart\nsleep 2\necho after the restart");
        var runId = await stack.RunNowAsync(testId);
        await stack.WaitForAsync(runId, r => r.StartedAt is not null, TimeSpan.FromSeconds(60));

        await postgres.StopAsync();
        try
        {
            // Down until the test has exited: the runner now tries to record its result against a dead server.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await RunnerKit.DockerAsync("ps", "-aq", "--filter", $"label=byot.run={runId:D}", "--filter", "status=exited")).Trim().Length == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the test container never exited");
                await Task.Delay(100);
            }

            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }
        finally
        {
            await postgres.StartAsync();
        }

        var run = await stack.WaitForFinalAsync(runId, TimeSpan.FromSeconds(90));
        Assert.Equal(RunStatus.Passed, run.Status);
        Assert.Equal(1, run.Attempt);
        Assert.Equal(runner.RunnerId, run.RunnerId);
        Assert.Equal(1, await stack.ScalarAsync("SELECT count(*) FROM result_writes WHERE run_id = @id", ("id", runId)));
        Assert.Contains("[stdout] after the restart", await stack.ReadLogAsync(runId), StringComparison.Ordinal);
        await RunnerKit.AssertCleanedUpAsync(runId);
    }
}
