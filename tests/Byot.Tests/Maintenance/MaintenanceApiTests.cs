using System.Text;
using System.Text.Json;
using Byot.Functions.Http;
using Byot.Tests.Alerts;
using Xunit;

namespace Byot.Tests.Maintenance;

/// <summary>POST/GET/PATCH/DELETE /maintenance through the real functions: a window is validated whole (a PATCH
/// merged onto it first), shows the occurrence in force and the next one, and a refused request stores nothing.</summary>
public sealed class MaintenanceApiTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment);

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task A_one_off_window_is_created_shown_in_force_changed_into_a_weekly_one_and_deleted()
    {
        var test = await h.CreateTestAsync("checkout", "P0");
        var created = await CreateAsync($$"""
            {"name": "Database upgrade", "mode": "mute", "startsAt": "2026-11-23T09:30:00Z", "endsAt": "2026-11-23T11:00:00Z",
             "tests": ["{{test}}"], "tags": ["service:checkout"]}
            """);
        Assert.True(created.Status == 201, created.ToString());
        var id = created.Json.GetProperty("window").GetProperty("id").GetString()!;
        Assert.Equal($"/maintenance/{id}", created.Headers["Location"]);
        Assert.Equal("once", created.Json.GetProperty("window").GetProperty("recurrence").GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 30, 0, TimeSpan.Zero), created.Json.GetProperty("current").GetProperty("start").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, created.Json.GetProperty("next").ValueKind);

        var listed = await Call("GET", "/maintenance", (f, r) => f.List(r, CancellationToken.None));
        Assert.Contains(listed.Json.EnumerateArray(), v => v.GetProperty("window").GetProperty("id").GetString() == id);

        var weekly = await PatchAsync(id, """{"startsAt": null, "endsAt": null, "days": ["Sunday", "saturday"], "start": "02:00", "durationMinutes": 120, "timezone": "Europe/Berlin"}""");
        Assert.True(weekly.Status == 200, weekly.ToString());
        var window = weekly.Json.GetProperty("window");
        Assert.Equal("weekly", window.GetProperty("recurrence").GetString());
        Assert.Equal(["sunday", "saturday"], window.GetProperty("days").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("Database upgrade", window.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, weekly.Json.GetProperty("current").ValueKind);
        // Saturday 28 November 2026, 02:00 CET.
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero), weekly.Json.GetProperty("next").GetProperty("start").GetDateTimeOffset());

        var deleted = await Call("DELETE", $"/maintenance/{id}", (f, r) => f.Delete(r, id, CancellationToken.None));
        Assert.Equal(204, deleted.Status);
        Assert.Equal(404, (await Call("GET", $"/maintenance/{id}", (f, r) => f.Get(r, id, CancellationToken.None))).Status);
        Assert.Equal(404, (await Call("DELETE", $"/maintenance/{id}", (f, r) => f.Delete(r, id, CancellationToken.None))).Status);
    }

    [Theory]
    [InlineData("""{"mode": "mute", "startsAt": "2026-12-05T22:00:00Z", "endsAt": "2026-12-06T01:00:00Z", "tags": ["a"]}""", "name")]
    [InlineData("""{"name": "x", "mode": "silence", "startsAt": "2026-12-05T22:00:00Z", "endsAt": "2026-12-06T01:00:00Z", "tags": ["a"]}""", "mode")]
    [InlineData("""{"name": "x", "startsAt": "2026-12-05T22:00:00Z", "endsAt": "2026-12-05T21:00:00Z", "tags": ["a"]}""", "endsAt")]
    [InlineData("""{"name": "x", "startsAt": "2026-12-05T22:00:00Z", "tags": ["a"]}""", "endsAt")]
    [InlineData("""{"name": "x", "startsAt": "2026-12-05T22:00:00Z", "endsAt": "2026-12-06T01:00:00Z", "cron": "0 2 * * 0", "tags": ["a"]}""", "startsAt")]
    [InlineData("""{"name": "x", "cron": "0 2 * * 0", "tags": ["a"]}""", "durationMinutes")]
    [InlineData("""{"name": "x", "cron": "every sunday", "durationMinutes": 60, "tags": ["a"]}""", "cron")]
    [InlineData("""{"name": "x", "days": ["funday"], "start": "02:00", "durationMinutes": 60, "tags": ["a"]}""", "days")]
    [InlineData("""{"name": "x", "days": ["sunday"], "start": "2am", "durationMinutes": 60, "tags": ["a"]}""", "start")]
    [InlineData("""{"name": "x", "days": ["sunday"], "durationMinutes": 60, "tags": ["a"]}""", "start")]
    [InlineData("""{"name": "x", "days": ["sunday"], "start": "02:00", "durationMinutes": 0, "tags": ["a"]}""", "durationMinutes")]
    [InlineData("""{"name": "x", "days": ["sunday"], "start": "02:00", "durationMinutes": 60, "timezone": "Mars/Olympus", "tags": ["a"]}""", "timezone")]
    [InlineData("""{"name": "x", "startsAt": "2026-12-05T22:00:00Z", "endsAt": "2026-12-06T01:00:00Z"}""", "tests")]
    [InlineData("""{"name": "x", "startsAt": "2026-12-05T22:00:00Z", "endsAt": "2026-12-06T01:00:00Z", "tests": ["3f2b8c1e-4d5a-4b7e-9c0d-1a2b3c4d5e6f"]}""", "tests")]
    [InlineData("""{"name": "x", "startsAt": "2026-12-05T22:00:00Z", "endsAt": "2026-12-06T01:00:00Z", "tags": ["Not A Tag"]}""", "tags")]
    [InlineData("""{"name": "x", "startsAt": "2026-12-05T22:00:00Z", "endsAt": "2026-12-06T01:00:00Z", "tags": ["a"], "scope": "all"}""", "scope")]
    public async Task A_bad_window_is_a_400_naming_the_field_and_nothing_is_stored(string body, string field)
    {
        var before = await environment.ScalarAsync("SELECT count(*) FROM maintenance_windows");

        var refused = await CreateAsync(body);

        Assert.True(refused.Status == 400, refused.ToString());
        Assert.Equal("application/problem+json; charset=utf-8", refused.ContentType);
        Assert.Equal(field, refused.Json.GetProperty("field").GetString());
        Assert.Equal(before, await environment.ScalarAsync("SELECT count(*) FROM maintenance_windows"));
    }

    [Fact]
    public async Task A_patch_that_leaves_an_invalid_window_is_refused_and_the_window_kept()
    {
        var created = await CreateAsync("""{"name": "Nightly", "cron": "0 2 * * *", "durationMinutes": 30, "tags": ["team:ops"]}""");
        var id = created.Json.GetProperty("window").GetProperty("id").GetString()!;

        var refused = await PatchAsync(id, """{"durationMinutes": null}""");

        Assert.Equal(400, refused.Status);
        Assert.Equal("durationMinutes", refused.Json.GetProperty("field").GetString());
        var kept = await Call("GET", $"/maintenance/{id}", (f, r) => f.Get(r, id, CancellationToken.None));
        Assert.Equal(30, kept.Json.GetProperty("window").GetProperty("durationMinutes").GetInt32());
        Assert.Equal(400, (await Call("GET", "/maintenance/nope", (f, r) => f.Get(r, "nope", CancellationToken.None))).Status);
    }

    private Task<TestResponse> CreateAsync(string body) => h.Client.CreateMaintenanceAsync(body);

    private Task<TestResponse> PatchAsync(string id, string body) =>
        Call("PATCH", $"/maintenance/{id}", (f, r) => f.Update(r, id, CancellationToken.None), body);

    private Task<TestResponse> Call(string method, string path, Func<MaintenanceFunctions, Microsoft.AspNetCore.Http.HttpRequest, Task<Microsoft.AspNetCore.Mvc.IActionResult>> call, string? body = null) =>
        h.Client.InvokeAsync(method, path, r => call(h.Client.Function<MaintenanceFunctions>(), r),
            body is null ? null : new MemoryStream(Encoding.UTF8.GetBytes(body)), body is null ? null : "application/json");
}
