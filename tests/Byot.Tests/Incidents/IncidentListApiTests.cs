using Byot.Shared.Domain;
using Byot.Tests.Alerts;
using Xunit;

namespace Byot.Tests.Incidents;

/// <summary>GET /incidents: open and past, by test, severity and time, newest first, paged; bad filters are 400s.</summary>
public sealed class IncidentListApiTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment);

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task Incidents_are_listed_newest_first_and_filtered_by_state_test_severity_and_time()
    {
        var checkout = await h.CreateTestAsync("checkout", "P0", threshold: 1);
        var search = await h.CreateTestAsync("search", "P2", threshold: 1);
        await h.RecordAsync(checkout, RunStatus.Failed);
        var past = await h.OpenIncidentAsync(checkout);
        h.Time.Advance(TimeSpan.FromHours(1));
        await h.RecordAsync(checkout, RunStatus.Passed);
        h.Time.Advance(TimeSpan.FromHours(1));
        await h.RecordAsync(checkout, RunStatus.Failed);
        var current = await h.OpenIncidentAsync(checkout);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.RecordAsync(search, RunStatus.Oom);
        var other = await h.OpenIncidentAsync(search);

        Assert.Equal([current, past], Ids(await h.ListAsync($"?testId={checkout}")));
        Assert.Equal([current], Ids(await h.ListAsync($"?testId={checkout}&state=open")));
        Assert.Equal([past], Ids(await h.ListAsync($"?testId={checkout}&state=resolved")));
        Assert.Contains(other, Ids(await h.ListAsync("?severity=P2&state=open")));
        Assert.DoesNotContain(current, Ids(await h.ListAsync("?severity=P2")));

        // Open at some moment of [from, to): the past one ended at 11:00, the current one opened at 12:00.
        var mine = (await h.ListAsync($"?testId={checkout}&from=2026-11-23T11:30:00Z")).Json;
        Assert.Equal([current], Ids(mine));
        Assert.Equal([past], Ids(await h.ListAsync($"?testId={checkout}&to=2026-11-23T11:30:00Z")));
        Assert.Equal([past], Ids(await h.ListAsync($"?testId={checkout}&from=2026-11-23T10:30:00Z&to=2026-11-23T11:30:00Z")));
    }

    [Fact]
    public async Task Pages_follow_each_other_through_the_cursor_without_gaps_or_repeats()
    {
        var test = await h.CreateTestAsync("cart", "P1", threshold: 1);
        var opened = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await h.RecordAsync(test, RunStatus.Failed);
            opened.Insert(0, await h.OpenIncidentAsync(test));
            h.Time.Advance(TimeSpan.FromMinutes(10));
            await h.RecordAsync(test, RunStatus.Passed);
        }

        var first = await h.ListAsync($"?testId={test}&limit=2");
        var next = first.Json.GetProperty("next").GetString();
        var second = await h.ListAsync($"?testId={test}&limit=2&cursor={next}");

        Assert.Equal(opened, Ids(first).Concat(Ids(second)));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.Json.GetProperty("next").ValueKind);
    }

    [Theory]
    [InlineData("?state=closed", "state")]
    [InlineData("?severity=P9", "severity")]
    [InlineData("?testId=abc", "testId")]
    [InlineData("?tag=Team%20Payments", "tag")]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?from=2026-11-23T12:00:00Z&to=2026-11-23T11:00:00Z", "to")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=201", "limit")]
    [InlineData("?cursor=forged", "cursor")]
    [InlineData("?status=open", "status")]
    public async Task A_bad_filter_is_a_400_naming_it(string query, string field)
    {
        var refused = await h.ListAsync(query);

        Assert.Equal(400, refused.Status);
        Assert.Equal("application/problem+json; charset=utf-8", refused.ContentType);
        Assert.Equal(field, refused.Json.GetProperty("field").GetString());
    }

    private static string[] Ids(TestResponse response)
    {
        Assert.True(response.Status == 200, response.ToString());
        return Ids(response.Json);
    }

    private static string[] Ids(System.Text.Json.JsonElement page) =>
        [.. page.GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];
}
