using Byot.Shared.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Byot.Tests.Infrastructure;

/// <summary>Scheduler instances wired exactly as the Functions app wires them, each its own service container.</summary>
public static class Scheduling
{
    public static SchedulerService NewScheduler(FunctionsClient client) => client.Services.GetRequiredService<SchedulerService>();

    public static RunSweeper NewSweeper(FunctionsClient client) => client.Services.GetRequiredService<RunSweeper>();

    public static async Task SetScheduleAsync(ByotEnvironment environment, Guid testId, string expression, DateTimeOffset nextRunAt, string zone = "UTC")
    {
        await using var command = environment.DataSource.CreateCommand("""
            INSERT INTO schedules (test_id, expression, time_zone, next_run_at) VALUES (@t, @e, @z, @n)
            ON CONFLICT (test_id) DO UPDATE SET expression = excluded.expression, time_zone = excluded.time_zone, next_run_at = excluded.next_run_at
            """);
        command.Parameters.AddWithValue("t", testId);
        command.Parameters.AddWithValue("e", expression);
        command.Parameters.AddWithValue("z", zone);
        command.Parameters.AddWithValue("n", nextRunAt);
        await command.ExecuteNonQueryAsync();
    }

    public static DateTimeOffset NextTenSecondSlot(DateTimeOffset after) =>
        ScheduleParser.Parse("10s", null, 10).NextAfter(after);
}
