using Byot.Tests.Infrastructure;
using Xunit;
using S = Byot.Tests.Infrastructure.Scheduling;

namespace Byot.Tests.Scheduling;

/// <summary>A schedule changed or removed after its next slot was claimed: the queued slot the schedule no longer has
/// is cancelled (one it still has stays), and the change moves the test's <c>updatedAt</c>.</summary>
public sealed class ScheduleChangeTests(ByotEnvironment environment) : ApiTestBase(environment)
{
    [Theory]
    [InlineData("""{"schedule": null}""", "cancelled")]
    [InlineData("""{"schedule": "1h"}""", "cancelled")]
    [InlineData("""{"schedule": "10s"}""", "queued")]
    public async Task A_claimed_slot_the_schedule_no_longer_has_is_cancelled_and_updatedAt_moves(string patch, string expected)
    {
        var upload = await Api.UploadAsync(RunnerKit.Shell("echo slot"), "slot.sh", [("runtime", "go"), ("schedule", "10s")]);
        Assert.True(upload.Status == 201, upload.ToString());
        var testId = upload.Json.GetProperty("id").GetGuid();
        var before = (await Api.GetTestAsync(testId.ToString())).Json;
        var slot = before.GetProperty("schedule").GetProperty("nextRunAt").GetDateTimeOffset();
        // Other cases' tests share the database: the tick may claim their slots too.
        Assert.True((await S.NewScheduler(Client).TickAsync(slot.AddSeconds(-1), CancellationToken.None)).RunsEnqueued >= 1);
        var runId = (await Api.HistoryAsync(testId.ToString())).Json.GetProperty("runs")[0].GetProperty("id").GetGuid();

        var changed = await Api.PatchTestAsync(testId.ToString(), patch);

        Assert.True(changed.Status == 200, changed.ToString());
        Assert.True(changed.Json.GetProperty("updatedAt").GetDateTimeOffset() > before.GetProperty("updatedAt").GetDateTimeOffset(), changed.ToString());
        var run = (await Api.GetRunAsync(runId.ToString())).Json;
        Assert.Equal(expected, run.GetProperty("status").GetString());
        if (expected == "cancelled")
        {
            Assert.Contains("schedule changed", run.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
    }
}
