using Byot.Functions.Http;
using Xunit;

namespace Byot.Tests.Dashboard;

/// <summary>GET /tests/{id}/schedule: the next slots the Test page shows, from the scheduler's own schedule rules.</summary>
public sealed class ScheduleSlotsApiTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    [Fact]
    public async Task An_interval_schedule_lists_its_next_slots_starting_with_the_one_claimed_next()
    {
        await using var client = new FunctionsClient(environment);
        var api = new ByotApi(client);
        var upload = await api.UploadAsync("#!/bin/sh\n"u8.ToArray(), fields: [("runtime", "go"), ("schedule", "5m")]);
        var id = upload.Json.GetProperty("id").GetString()!;
        var nextRunAt = (await api.GetTestAsync(id)).Json.GetProperty("schedule").GetProperty("nextRunAt").GetDateTimeOffset();

        var response = await client.InvokeAsync("GET", $"/tests/{id}/schedule?count=3", r => client.Function<ScheduleFunctions>().Get(r, id, CancellationToken.None));

        Assert.Equal(200, response.Status);
        Assert.Equal("5m", response.Json.GetProperty("expression").GetString());
        var slots = response.Json.GetProperty("next").EnumerateArray().Select(s => s.GetDateTimeOffset()).ToList();
        Assert.Equal([nextRunAt, nextRunAt.AddMinutes(5), nextRunAt.AddMinutes(10)], slots);
    }

    [Fact]
    public async Task A_cron_schedule_follows_its_time_zone()
    {
        await using var client = new FunctionsClient(environment);
        var api = new ByotApi(client);
        var upload = await api.UploadAsync("#!/bin/sh\n"u8.ToArray(), fields: [("runtime", "go"), ("schedule", "30 9 * * *"), ("timezone", "Europe/Berlin")]);
        var id = upload.Json.GetProperty("id").GetString()!;

        var response = await client.InvokeAsync("GET", $"/tests/{id}/schedule", r => client.Function<ScheduleFunctions>().Get(r, id, CancellationToken.None));

        var slots = response.Json.GetProperty("next").EnumerateArray().Select(s => s.GetDateTimeOffset()).ToList();
        Assert.Equal(5, slots.Count);
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        Assert.All(slots, s => Assert.Equal(new TimeSpan(9, 30, 0), TimeZoneInfo.ConvertTime(s, berlin).TimeOfDay));
        Assert.All(slots.Zip(slots.Skip(1)), p => Assert.InRange((p.Second - p.First).TotalHours, 23, 25));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("51")]
    [InlineData("five")]
    public async Task A_count_out_of_range_is_a_400_naming_count(string count)
    {
        await using var client = new FunctionsClient(environment);
        var id = (await new ByotApi(client).UploadAsync("#!/bin/sh\n"u8.ToArray(), fields: [("runtime", "go"), ("schedule", "1h")])).Json.GetProperty("id").GetString()!;

        var response = await client.InvokeAsync("GET", $"/tests/{id}/schedule?count={count}", r => client.Function<ScheduleFunctions>().Get(r, id, CancellationToken.None));

        Assert.Equal(400, response.Status);
        Assert.Equal("count", response.Json.GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_test_without_a_schedule_is_a_404_saying_how_to_give_it_one()
    {
        await using var client = new FunctionsClient(environment);
        var id = (await new ByotApi(client).UploadAsync("#!/bin/sh\n"u8.ToArray(), fields: [("runtime", "go")])).Json.GetProperty("id").GetString()!;

        var response = await client.InvokeAsync("GET", $"/tests/{id}/schedule", r => client.Function<ScheduleFunctions>().Get(r, id, CancellationToken.None));

        Assert.Equal(404, response.Status);
        Assert.Contains("PATCH /tests/", response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
