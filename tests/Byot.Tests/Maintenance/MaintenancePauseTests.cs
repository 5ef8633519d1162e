using Xunit;
using S = Byot.Tests.Infrastructure.Scheduling;

namespace Byot.Tests.Maintenance;

/// <summary>A pause window on real Postgres and Azurite: the slots it covers are recorded as skipped with its name,
/// once each however many scheduler instances tick; tests it does not cover, and slots outside it, run.</summary>
public sealed class MaintenancePauseTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private FunctionsClient first = null!;
    private FunctionsClient second = null!;

    public Task InitializeAsync()
    {
        first = new FunctionsClient(environment);
        second = new FunctionsClient(environment);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    [Fact]
    public async Task Slots_in_a_pause_window_are_skipped_naming_it_once_each_and_other_tests_run()
    {
        var api = new ByotApi(first);
        var paused = await UploadAsync(api, "team:ops");
        var free = await UploadAsync(api, "team:web");
        var start = Byot.Shared.Scheduling.ScheduleParser.Parse("1m", null, 10).NextAfter(DateTimeOffset.UtcNow.AddDays(2));
        await S.SetScheduleAsync(environment, paused, "1m", start);
        await S.SetScheduleAsync(environment, free, "1m", start);
        var body = $$"""
            {"name": "Ops migration", "mode": "pause", "startsAt": "{{start.AddMinutes(2):O}}", "endsAt": "{{start.AddMinutes(5):O}}", "tags": ["team:ops"]}
            """;
        await first.CreateMaintenanceOkAsync(body);

        var a = S.NewScheduler(first);
        var b = S.NewScheduler(second);
        for (var minute = 0; minute < 7; minute++)
        {
            var now = start.AddMinutes(minute).AddSeconds(-5);
            await Task.WhenAll(a.TickAsync(now, CancellationToken.None), b.TickAsync(now, CancellationToken.None));
            await environment.ScalarAsync("WITH u AS (UPDATE runs SET status = 'passed', finished_at = now() WHERE status = 'queued' RETURNING 1) SELECT count(*) FROM u");
        }

        var pausedSlots = await SlotsAsync(paused);
        Assert.Equal(7, pausedSlots.Count);
        Assert.Equal(["passed", "passed", "skipped", "skipped", "skipped", "passed", "passed"], pausedSlots.Select(s => s.Status));
        Assert.All(pausedSlots.Where(s => s.Status == "skipped"), s => Assert.Equal("Skipped: maintenance window 'Ops migration' pauses this test.", s.Error));
        Assert.All(await SlotsAsync(free), s => Assert.Equal("passed", s.Status));
    }

    private static async Task<Guid> UploadAsync(ByotApi api, string tags)
    {
        var response = await api.UploadAsync("#!/bin/sh\n"u8.ToArray(), "t.test", [("runtime", "go"), ("tags", tags)]);
        Assert.True(response.Status == 201, response.ToString());
        return response.Json.GetProperty("id").GetGuid();
    }

    private async Task<List<(DateTimeOffset Slot, string Status, string? Error)>> SlotsAsync(Guid testId)
    {
        await using var command = environment.DataSource.CreateCommand(
            "SELECT scheduled_for, status, error FROM runs WHERE test_id = @t AND scheduled_for IS NOT NULL ORDER BY scheduled_for");
        command.Parameters.AddWithValue("t", testId);
        var slots = new List<(DateTimeOffset, string, string?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            slots.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return slots;
    }
}
