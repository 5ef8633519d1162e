using Byot.Shared.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Scheduling;

/// <summary>A test's next scheduled slots, computed with the same <see cref="Schedule"/> the scheduler uses.</summary>
public sealed class ScheduleSlotService(TestStore tests, ScheduleStore schedules, IOptions<SchedulingOptions> options)
{
    public const int MaxSlots = 50;

    public async Task<ScheduleSlotsView> NextAsync(Guid testId, int count, CancellationToken cancellationToken)
    {
        if (count is < 1 or > MaxSlots)
        {
            throw P.InvalidField("count", $"'count' must be a whole number from 1 to {MaxSlots}.");
        }

        var test = await tests.FindAsync(testId, cancellationToken) ?? throw P.NotFound("test", testId);
        var (expression, timeZone, nextRunAt) = await schedules.FindAsync(testId, cancellationToken)
            ?? throw new Problems.NotFoundException("no-schedule", "Test has no schedule",
                $"Test {testId:D} runs only when started. Give it one with PATCH /tests/{testId:D} {{\"schedule\": \"5m\"}}.");
        var schedule = ScheduleParser.Parse(expression, timeZone, options.Value.MinIntervalSeconds);
        return new ScheduleSlotsView(expression, timeZone, test.Enabled, Slots(schedule, nextRunAt, count));
    }

    /// <summary><paramref name="count"/> slots starting with <paramref name="first"/>, each the schedule's next after the one before.</summary>
    public static IReadOnlyList<DateTimeOffset> Slots(Schedule schedule, DateTimeOffset first, int count)
    {
        var slots = new List<DateTimeOffset>(count) { first };
        while (slots.Count < count)
        {
            slots.Add(schedule.NextAfter(slots[^1]));
        }

        return slots;
    }
}
