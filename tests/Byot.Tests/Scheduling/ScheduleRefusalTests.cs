using Byot.Functions.Http;
using Xunit;

namespace Byot.Tests.Scheduling;

/// <summary>docs/reliability.md row 2 for schedules, through upload and through PATCH /tests/{id}: 400 naming the field,
/// nothing stored or changed.</summary>
public sealed class ScheduleRefusalTests(ByotEnvironment environment) : ApiTestBase(environment)
{
    [Theory]
    [InlineData("5s", null, "schedule")]
    [InlineData("* * *", null, "schedule")]
    [InlineData("*/5 * * * * *", null, "schedule")]
    [InlineData("*/5 * * * *", "Not/AZone", "timezone")]
    [InlineData("", "Europe/Berlin", "timezone")]
    public async Task A_bad_schedule_in_an_upload_is_400_and_stores_nothing(string schedule, string? zone, string field)
    {
        var before = await Fixture.ScalarAsync("SELECT count(*) FROM tests");
        var fields = new List<(string, string)> { ("runtime", "go"), ("schedule", schedule) };
        if (zone is not null)
        {
            fields.Add(("timezone", zone));
        }

        var response = await Api.UploadAsync("#!/bin/sh\n"u8.ToArray(), fields: fields);

        Assert.True(response.Status == 400, response.ToString());
        Assert.Equal(field, response.Json.GetProperty("field").GetString());
        Assert.Equal(before, await Fixture.ScalarAsync("SELECT count(*) FROM tests"));
        Assert.Equal(before, (await Fixture.ArtifactBlobNamesAsync()).Count);
    }

    [Theory]
    [InlineData("""{"schedule": "1s"}""", "schedule")]
    [InlineData("""{"schedule": 5}""", "schedule")]
    [InlineData("""{"schedule": "*/5 * * * *", "timezone": "Nowhere/City"}""", "timezone")]
    [InlineData("""{"enabled": "yes"}""", "enabled")]
    [InlineData("""{"image": "alpine"}""", "image")]
    public async Task A_bad_update_is_400_and_changes_nothing(string json, string field)
    {
        var testId = await Api.UploadOkAsync("#!/bin/sh\n"u8.ToArray(), "go");
        var patched = await PatchAsync(testId.ToString(), """{"schedule": "5m"}""");
        Assert.Equal(200, patched.Status);

        var response = await PatchAsync(testId.ToString(), json);

        Assert.True(response.Status == 400, response.ToString());
        Assert.Equal(field, response.Json.GetProperty("field").GetString());
        var view = await Client.InvokeAsync("GET", "/tests/x", r => Client.Function<TestsFunctions>().GetTest(r, testId.ToString(), CancellationToken.None));
        Assert.Equal("5m", view.Json.GetProperty("schedule").GetProperty("expression").GetString());
        Assert.True(view.Json.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Malformed_json_is_400_and_unknown_or_malformed_ids_are_404_or_400()
    {
        var testId = await Api.UploadOkAsync("#!/bin/sh\n"u8.ToArray(), "go");

        Assert.Equal(400, (await PatchAsync(testId.ToString(), "{not json")).Status);
        Assert.Equal(404, (await PatchAsync(Guid.NewGuid().ToString(), """{"enabled": false}""")).Status);
        Assert.Equal(400, (await PatchAsync("nope", """{"enabled": false}""")).Status);
    }

    [Fact]
    public async Task Schedules_can_be_set_changed_and_removed()
    {
        var testId = await Api.UploadOkAsync("#!/bin/sh\n"u8.ToArray(), "go");

        var set = await PatchAsync(testId.ToString(), """{"schedule": "0 9 * * 1-5", "timezone": "America/New_York"}""");
        Assert.True(set.Status == 200, set.ToString());
        Assert.Equal("America/New_York", set.Json.GetProperty("schedule").GetProperty("timeZone").GetString());
        var next = set.Json.GetProperty("schedule").GetProperty("nextRunAt").GetDateTimeOffset();
        Assert.InRange(next.UtcDateTime.Hour, 13, 14);

        var removed = await PatchAsync(testId.ToString(), """{"schedule": null}""");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, removed.Json.GetProperty("schedule").ValueKind);
        Assert.Equal(0, await Fixture.ScalarAsync("SELECT count(*) FROM schedules WHERE test_id = @t", ("t", testId)));
    }

    private Task<TestResponse> PatchAsync(string id, string json) =>
        Client.InvokeAsync("PATCH", $"/tests/{id}", r => Client.Function<TestsFunctions>().UpdateTest(r, id, CancellationToken.None),
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "application/json");
}
