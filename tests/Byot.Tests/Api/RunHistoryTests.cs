using System.Text.Json;
using Xunit;

namespace Byot.Tests.Api;

/// <summary>Run history pages and per-test statistics over real rows.</summary>
public sealed class RunHistoryTests(ByotEnvironment environment) : ApiTestBase(environment)
{
    [Fact]
    public async Task History_pages_newest_first_without_gaps_or_repeats()
    {
        var id = await Api.UploadOkAsync("x"u8.ToArray(), "go");
        var inserted = await InsertRunsAsync(id, Enumerable.Range(0, 23).Select(i => ("passed", TimeSpan.FromMinutes(-i), 100L)).ToArray());

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var response = await Api.HistoryAsync(id.ToString(), cursor is null ? "?limit=10" : $"?limit=10&cursor={cursor}");
            Assert.True(response.Status == 200, response.ToString());
            seen.AddRange(response.Json.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));
            cursor = response.Json.GetProperty("next").ValueKind == JsonValueKind.Null ? null : response.Json.GetProperty("next").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(inserted, seen);
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=201", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?cursor=not-a-cursor", "cursor")]
    public async Task Bad_paging_parameters_are_400(string query, string field)
    {
        var id = await Api.UploadOkAsync("x"u8.ToArray(), "go");

        var response = await Api.HistoryAsync(id.ToString(), query);

        Assert.True(response.Status == 400, response.ToString());
        Assert.Equal(field, response.Json.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Stats_count_uptime_durations_and_flips_leaving_infrastructure_errors_out()
    {
        var id = await Api.UploadOkAsync("x"u8.ToArray(), "go");
        await InsertRunsAsync(id,
        [
            ("passed", TimeSpan.FromHours(-1), 100),
            ("failed", TimeSpan.FromHours(-2), 300),
            ("passed", TimeSpan.FromHours(-3), 200),
            ("infra_error", TimeSpan.FromHours(-4), 0),
            ("passed", TimeSpan.FromHours(-30), 400),
            ("timed_out", TimeSpan.FromDays(-10), 5000),
        ]);

        var stats = (await Api.StatsAsync(id.ToString())).Json;

        Assert.Equal(2.0 / 3, stats.GetProperty("uptime").GetProperty("24h").GetDouble(), 6);
        Assert.Equal(3.0 / 4, stats.GetProperty("uptime").GetProperty("7d").GetDouble(), 6);
        Assert.Equal(3.0 / 5, stats.GetProperty("uptime").GetProperty("30d").GetDouble(), 6);
        Assert.Equal(250, stats.GetProperty("durationP50Ms").GetInt64());
        Assert.Equal(3, stats.GetProperty("counts").GetProperty("passed").GetInt64());
        Assert.Equal(1, stats.GetProperty("counts").GetProperty("infra_error").GetInt64());
        Assert.Equal(2, stats.GetProperty("flips").GetInt64());
    }

    [Fact]
    public async Task Stats_of_a_test_that_never_ran_are_empty_not_zero()
    {
        var id = await Api.UploadOkAsync("x"u8.ToArray(), "go");

        var stats = (await Api.StatsAsync(id.ToString())).Json;

        Assert.Equal(JsonValueKind.Null, stats.GetProperty("uptime").GetProperty("24h").ValueKind);
        Assert.Equal(JsonValueKind.Null, stats.GetProperty("durationP50Ms").ValueKind);
        Assert.Equal(0, stats.GetProperty("flips").GetInt64());
    }

    private async Task<List<Guid>> InsertRunsAsync(Guid testId, (string Status, TimeSpan Ago, long DurationMs)[] runs)
    {
        var ids = new List<Guid>();
        foreach (var (status, ago, duration) in runs)
        {
            var id = Guid.NewGuid();
            ids.Add(id);
            await Fixture.ScalarAsync("""
                WITH i AS (
                    INSERT INTO runs (id, test_id, trigger, artifact_version, status, queued_at, started_at, finished_at, duration_ms)
                    VALUES (@id, @t, 'manual', 1, @s, now() + @ago, now() + @ago, now() + @ago, @d) RETURNING 1)
                SELECT count(*) FROM i
                """, ("id", id), ("t", testId), ("s", status), ("ago", ago), ("d", duration));
        }

        return ids;
    }
}
