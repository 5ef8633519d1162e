using System.Text;
using Byot.Shared.Artifacts;
using Byot.Shared.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Byot.Tests.Storage;

/// <summary>Run retention (docs/scale.md) on real Postgres and Blob storage with a controlled clock: expired finished
/// runs lose their log, artifacts and cases and are summarised per test, location and day; runs still inside the window
/// or not finished stay; a second pass and a second instance change nothing; a pass deletes a bounded amount.</summary>
public sealed class RetentionTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private FunctionsClient first = null!;
    private FunctionsClient second = null!;
    private Guid test;

    public async Task InitializeAsync()
    {
        first = new FunctionsClient(environment, configure: services => services.AddSingleton<TimeProvider>(time));
        second = new FunctionsClient(environment, configure: services => services.AddSingleton<TimeProvider>(time));
        test = await new ByotApi(first).UploadOkAsync("#!/bin/sh\n"u8.ToArray(), "go");
    }

    public async Task DisposeAsync()
    {
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    private static RunRetention Retention(FunctionsClient client) => client.Services.GetRequiredService<RunRetention>();

    [Fact]
    public async Task Expired_runs_are_summarised_then_deleted_with_their_blobs_and_cases_and_a_second_pass_changes_nothing()
    {
        await ClearAsync();
        var now = time.GetUtcNow();
        var day = now.AddDays(-100).UtcDateTime.Date.AddHours(12);
        var passed = await InsertRunAsync("passed", day, durationMs: 100);
        var failed = await InsertRunAsync("failed", day.AddMinutes(1), durationMs: 300);
        var muted = await InsertRunAsync("passed", day.AddMinutes(2), durationMs: 200, inMaintenance: true);
        var skipped = await InsertRunAsync("skipped", day.AddMinutes(3));
        var euWest = await InsertRunAsync("failed", day.AddMinutes(4), durationMs: 50, location: "eu-west");
        var stuck = await InsertRunAsync("queued", day.AddMinutes(5));
        var recent = await InsertRunAsync("passed", now.AddDays(-30).UtcDateTime, durationMs: 100);
        Guid[] expired = [passed, failed, muted, skipped, euWest];

        var logs = first.Services.GetRequiredService<LogStore>();
        var artifacts = first.Services.GetRequiredService<ArtifactStore>();
        foreach (var run in (Guid[])[.. expired, stuck, recent])
        {
            await logs.CreateAsync($"{run:D}.log", CancellationToken.None);
            await logs.AppendAsync($"{run:D}.log", "output\n"u8.ToArray(), 0, CancellationToken.None);
        }

        var artifact = ArtifactStore.RunFileBlobName(failed, "screenshot.png");
        await artifacts.WriteAsync(artifact, new MemoryStream(Encoding.UTF8.GetBytes("png")), 1024, CancellationToken.None);
        await environment.ScalarAsync(
            "WITH i AS (INSERT INTO run_artifacts (run_id, path, blob_name, size_bytes) VALUES (@r, 'screenshot.png', @b, 3) RETURNING 1) SELECT count(*) FROM i",
            ("r", failed), ("b", artifact));
        await environment.ScalarAsync("""
            WITH i AS (INSERT INTO run_cases (run_id, attempt, position, test_id, case_id, case_key, suite, name, status)
                       VALUES (@r, 1, 0, @t, 'c0', 'suite › checkout', 'suite', 'checkout', 'failed') RETURNING 1)
            SELECT count(*) FROM i
            """, ("r", failed), ("t", test));

        Assert.Equal(expired.Length, await Retention(first).ApplyAsync(CancellationToken.None));

        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM runs WHERE id = ANY(@ids)", ("ids", expired)));
        Assert.Equal(2, await environment.ScalarAsync("SELECT count(*) FROM runs WHERE id = ANY(@ids)", ("ids", new[] { stuck, recent })));
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM run_cases WHERE run_id = @r", ("r", failed)));
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM run_artifacts WHERE run_id = @r", ("r", failed)));
        foreach (var run in expired)
        {
            Assert.Null(await logs.OpenReadAsync($"{run:D}.log", 0, CancellationToken.None));
        }

        Assert.False(await artifacts.ExistsAsync(artifact, CancellationToken.None));
        foreach (var run in (Guid[])[stuck, recent])
        {
            await using var kept = await logs.OpenReadAsync($"{run:D}.log", 0, CancellationToken.None);
            Assert.NotNull(kept);
        }

        // One row per test, location and day: the muted run is no uptime judgement, the skipped run none at all.
        var summary = DateOnly.FromDateTime(day);
        Assert.Equal((4, 2, 1, 1, 600, 3), await DayAsync("default", summary));
        Assert.Equal((1, 1, 0, 1, 50, 1), await DayAsync("eu-west", summary));

        Assert.Equal(0, await Retention(second).ApplyAsync(CancellationToken.None));
        Assert.Equal((4, 2, 1, 1, 600, 3), await DayAsync("default", summary));

        // Time passes: the recent run expires too and joins its own day.
        time.Advance(TimeSpan.FromDays(61));
        Assert.Equal(1, await Retention(first).ApplyAsync(CancellationToken.None));
        Assert.Equal((1, 1, 1, 0, 100, 1), await DayAsync("default", DateOnly.FromDateTime(now.AddDays(-30).UtcDateTime)));
        Assert.Equal(1, await environment.ScalarAsync("SELECT count(*) FROM runs WHERE id = @r", ("r", stuck)));
    }

    [Fact]
    public async Task Two_instances_count_every_run_once_and_a_pass_deletes_a_bounded_number()
    {
        await ClearAsync();
        var total = RunRetention.BatchSize * RunRetention.MaxBatches + 500;
        var day = time.GetUtcNow().AddDays(-200).UtcDateTime.Date.AddHours(1);
        await environment.ScalarAsync("""
            WITH i AS (
                INSERT INTO runs (id, test_id, trigger, artifact_version, status, queued_at, finished_at, duration_ms)
                SELECT gen_random_uuid(), @t, 'manual', 1, CASE WHEN g % 4 = 0 THEN 'failed' ELSE 'passed' END,
                       @day + g * interval '1 second', @day + g * interval '1 second', 10
                FROM generate_series(1, @n) g
                RETURNING 1)
            SELECT count(*) FROM i
            """, ("t", test), ("day", day), ("n", total));

        var passes = await Task.WhenAll(Retention(first).ApplyAsync(CancellationToken.None), Retention(second).ApplyAsync(CancellationToken.None));
        Assert.All(passes, p => Assert.InRange(p, 0, RunRetention.BatchSize * RunRetention.MaxBatches));
        var rest = await Retention(first).ApplyAsync(CancellationToken.None);
        rest += await Retention(second).ApplyAsync(CancellationToken.None);

        Assert.Equal(total, passes.Sum() + rest);
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM runs WHERE test_id = @t", ("t", test)));
        Assert.Equal(total, await environment.ScalarAsync("SELECT coalesce(sum(runs), 0) FROM run_days WHERE test_id = @t", ("t", test)));
        Assert.Equal(total / 4, await environment.ScalarAsync("SELECT coalesce(sum(failures), 0) FROM run_days WHERE test_id = @t", ("t", test)));
    }

    private async Task ClearAsync()
    {
        await environment.ScalarAsync("WITH d AS (DELETE FROM runs WHERE test_id = @t RETURNING 1) SELECT count(*) FROM d", ("t", test));
        await environment.ScalarAsync("WITH d AS (DELETE FROM run_days WHERE test_id = @t RETURNING 1) SELECT count(*) FROM d", ("t", test));
    }

    private async Task<Guid> InsertRunAsync(string status, DateTime queuedAt, long? durationMs = null, bool inMaintenance = false, string location = "default")
    {
        var id = Guid.NewGuid();
        var finished = status is "queued" or "running" ? (object)DBNull.Value : queuedAt.AddSeconds(5);
        await environment.ScalarAsync("""
            WITH i AS (
                INSERT INTO runs (id, test_id, trigger, artifact_version, status, queued_at, finished_at, duration_ms, in_maintenance, location, log_blob)
                VALUES (@id, @t, 'manual', 1, @status, @queued, @finished, @duration, @muted, @location, @id::text || '.log')
                RETURNING 1)
            SELECT count(*) FROM i
            """,
            ("id", id), ("t", test), ("status", status), ("queued", DateTime.SpecifyKind(queuedAt, DateTimeKind.Utc)), ("finished", finished),
            ("duration", (object?)durationMs ?? DBNull.Value), ("muted", inMaintenance), ("location", location));
        return id;
    }

    private async Task<(long Runs, long Judged, long Passed, long Failures, long DurationSum, long DurationRuns)> DayAsync(string location, DateOnly day)
    {
        await using var command = environment.DataSource.CreateCommand(
            "SELECT runs, judged, judged_passed, failures, duration_ms_sum, duration_runs FROM run_days WHERE test_id = @t AND location = @l AND day = @d");
        command.Parameters.AddWithValue("t", test);
        command.Parameters.AddWithValue("l", location);
        command.Parameters.AddWithValue("d", day);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no summary for {location} on {day}");
        return (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt64(4), reader.GetInt32(5));
    }
}
