using Byot.Shared.Domain;
using Byot.Tests.Alerts;
using Byot.Tests.Incidents;
using Xunit;

namespace Byot.Tests.Maintenance;

/// <summary>A mute window with a controlled clock, real delivery and local receivers: incidents open as usual but page
/// nobody until the window ends, and only if still open then; reminders of an incident already open wait too.</summary>
public sealed class MaintenanceMuteTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment);

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task A_failure_during_the_window_opens_silently_and_pages_when_it_ends_if_still_failing()
    {
        var test = await h.CreateTestAsync("checkout", "P0", threshold: 1);
        await MuteAsync(test, from: 0, until: 60);

        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.RecordAsync(test, RunStatus.Failed);
        await h.DeliverAsync();
        Assert.Empty(h.Http.Requests);
        var id = await h.OpenIncidentAsync(test);
        Assert.Equal("open", (await h.IncidentAsync(id)).GetProperty("incident").GetProperty("state").GetString());

        h.Time.Advance(TimeSpan.FromMinutes(54));
        await h.DeliverAsync();
        Assert.Empty(h.Http.Requests);

        // Two timer instances at the window's end: one page per channel.
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await Task.WhenAll(h.DeliverAsync(), h.DeliverAsync());
        await h.DeliverAsync();
        Assert.Single(h.Http.At("/pd"));
        Assert.Single(h.Http.At("/slack"));
    }

    [Fact]
    public async Task An_incident_that_recovers_during_the_window_pages_nobody_ever()
    {
        var test = await h.CreateTestAsync("login", "P0", threshold: 1);
        await MuteAsync(test, from: 0, until: 60);

        await h.RecordAsync(test, RunStatus.Failed);
        await h.DeliverAsync();
        h.Time.Advance(TimeSpan.FromMinutes(30));
        await h.RecordAsync(test, RunStatus.Passed);
        await h.DeliverAsync();
        h.Time.Advance(TimeSpan.FromHours(2));
        await h.DeliverAsync();

        Assert.Empty(h.Http.Requests);
    }

    [Fact]
    public async Task An_incident_open_when_the_window_starts_stays_open_and_its_reminders_wait_for_the_end()
    {
        var test = await h.CreateTestAsync("cart", "P0", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed);
        await h.DeliverAsync();
        Assert.Single(h.Http.At("/slack"));
        await MuteAsync(test, from: 10, until: 70);

        h.Time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(0, (await h.DeliverAsync()).Reminders);
        h.Time.Advance(TimeSpan.FromMinutes(38));
        Assert.Equal(0, (await h.DeliverAsync()).Reminders);

        h.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await h.DeliverAsync()).Reminders);
        Assert.Equal(2, h.Http.At("/slack").Count);
        Assert.Single(h.Http.At("/pd"));
    }

    private async Task MuteAsync(Guid test, int from, int until)
    {
        var body = $$"""
            {"name": "Planned work", "mode": "mute", "startsAt": "{{AlertHarness.MondayMorning.AddMinutes(from):O}}",
             "endsAt": "{{AlertHarness.MondayMorning.AddMinutes(until):O}}", "tests": ["{{test}}"]}
            """;
        await h.Client.CreateMaintenanceOkAsync(body);
    }
}
