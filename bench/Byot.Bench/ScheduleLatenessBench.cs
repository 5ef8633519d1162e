using System.Globalization;
using Byot.Shared.Scheduling;

namespace Byot.Bench;

/// <summary>A 10-second-interval test over many slots, with the scheduler ticking every 10 s as the timer function
/// does and the real runner: lateness is container start minus the slot's second.</summary>
internal static class ScheduleLatenessBench
{
    public static async Task<BenchLine> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var slots = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 60;
        await using var environment = await BenchEnvironment.CreateAsync(cancellationToken);
        using var runner = await environment.StartRunnerAsync(new Dictionary<string, string?>(), cancellationToken);
        var testId = await environment.UploadScriptAsync("exit 0", [("schedule", "10s")], cancellationToken);
        var scheduler = environment.Service<SchedulerService>();

        // Tick on the timer's own cadence (*/10 s, at the second), for as long as the slots take.
        var tick = ScheduleParser.Parse("10s", null, 10);
        var end = DateTimeOffset.UtcNow.AddSeconds((slots * 10) + 10);
        while (DateTimeOffset.UtcNow < end)
        {
            await scheduler.TickAsync(DateTimeOffset.UtcNow, cancellationToken);
            var next = tick.NextAfter(DateTimeOffset.UtcNow);
            await Task.Delay(next - DateTimeOffset.UtcNow, cancellationToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        var lateness = new List<double>();
        await using (var command = environment.DataSource.CreateCommand("""
            SELECT extract(epoch FROM started_at - scheduled_for) FROM runs
            WHERE test_id = @t AND scheduled_for IS NOT NULL AND started_at IS NOT NULL AND status = 'passed'
            ORDER BY scheduled_for
            """))
        {
            command.Parameters.AddWithValue("t", testId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                lateness.Add((double)reader.GetDecimal(0));
            }
        }

        var statuses = new Dictionary<string, double>(StringComparer.Ordinal);
        await using (var command = environment.DataSource.CreateCommand("SELECT status, count(*) FROM runs WHERE test_id = @t AND scheduled_for IS NOT NULL GROUP BY status"))
        {
            command.Parameters.AddWithValue("t", testId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                statuses[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        var measured = lateness.Take(slots).Order().ToArray();
        if (measured.Length == 0)
        {
            throw new InvalidOperationException("no slot ran: " + string.Join(", ", statuses.Select(s => $"{s.Key}={s.Value}")));
        }

        return new BenchLine("schedule-lateness",
        [
            ("slots", measured.Length),
            ("p50_s", BenchEnvironment.Percentile(measured, 0.50)),
            ("p95_s", BenchEnvironment.Percentile(measured, 0.95)),
            ("max_s", measured[^1]),
            ("min_s", measured[0]),
            ("skipped", statuses.GetValueOrDefault("skipped")),
            ("infra_error", statuses.GetValueOrDefault("infra_error")),
            ("failed", statuses.GetValueOrDefault("failed")),
            .. BenchEnvironment.RunnerFigures(),
            ("tick_s", 10),
        ], "target:p95_s<=0.25,max_s<=1.0");
    }
}
