using Byot.Tests.Infrastructure;
using Xunit;
using S = Byot.Tests.Infrastructure.Scheduling;

namespace Byot.Tests.Scheduling;

/// <summary>A stored schedule that no longer parses (a time zone gone from the host) is skipped for an hour by the
/// scheduler, which catches that one typed error; every other test keeps running.</summary>
public sealed class UnparsableScheduleTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private FunctionsClient client = null!;

    public async Task InitializeAsync()
    {
        client = new FunctionsClient(environment);
        await environment.ScalarAsync("WITH d AS (DELETE FROM schedules RETURNING 1) SELECT count(*) FROM d");
    }

    public async Task DisposeAsync() => await client.DisposeAsync();

    [Fact]
    public async Task A_schedule_that_no_longer_parses_is_put_off_an_hour_and_the_others_still_run()
    {
        var api = new ByotApi(client);
        var good = await api.UploadOkAsync("#!/bin/sh\n"u8.ToArray(), "go");
        var broken = await api.UploadOkAsync("#!/bin/sh\n"u8.ToArray(), "go");
        var now = S.NextTenSecondSlot(DateTimeOffset.UtcNow.AddDays(2));
        await S.SetScheduleAsync(environment, good, "10s", now);
        await S.SetScheduleAsync(environment, broken, "*/5 * * * *", now, zone: "Mars/Olympus_Mons");

        var tick = await S.NewScheduler(client).TickAsync(now, CancellationToken.None);

        Assert.Equal(2, tick.SchedulesClaimed);
        Assert.True(await RunsOfAsync(good) > 0);
        Assert.Equal(0, await RunsOfAsync(broken));
        var putOff = DateTimeOffset.FromUnixTimeSeconds(await environment.ScalarAsync(
            "SELECT extract(epoch FROM next_run_at)::bigint FROM schedules WHERE test_id = @t", ("t", broken)));
        Assert.True(putOff > now.AddMinutes(59), $"next_run_at {putOff:O} is not an hour on from {now:O}");
    }

    private Task<long> RunsOfAsync(Guid testId) =>
        environment.ScalarAsync("SELECT count(*) FROM runs WHERE test_id = @t", ("t", testId));
}
