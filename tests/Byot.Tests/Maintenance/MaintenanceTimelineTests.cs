using System.Text.Json;
using Byot.Functions.Http;
using Byot.Shared.Domain;
using Byot.Tests.Alerts;
using Byot.Tests.Incidents;
using Xunit;

namespace Byot.Tests.Maintenance;

/// <summary>Maintenance muting on the incident timeline, with a controlled clock over real Postgres and delivery: what
/// a mute window held (page, reminder, escalation), until when, and whether it went out after the window or was
/// dropped; the status page's incident page says "planned maintenance".</summary>
public sealed class MaintenanceTimelineTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private const string Key = "maintenance-timeline-key-0123456789";
    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment, extra: new Dictionary<string, string?>
    {
        ["Byot:Status:AccessKey"] = Key,
        ["Byot:Alerts:P0:Escalation:0:AfterMinutes"] = "15",
        ["Byot:Alerts:P0:Escalation:0:Channels"] = "hook",
    });

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task A_page_held_by_the_window_shows_the_hold_and_then_that_it_was_sent_after_the_window_ended()
    {
        var test = await h.CreateTestAsync("checkout", "P1", threshold: 1);
        await MuteAsync(test, "db upgrade", from: 0, until: 60);

        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.RecordAsync(test, RunStatus.Failed);
        await Task.WhenAll(h.DeliverAsync(), h.DeliverAsync());
        var id = await h.OpenIncidentAsync(test);
        var held = await h.IncidentAsync(id);
        Assert.Equal(["Held by maintenance window 'db upgrade' (until 11:00 UTC): the alert"], Texts(held, "maintenance_held"));
        Assert.Empty(Texts(held, "maintenance_released"));
        var hold = Entries(held, "maintenance_held").Single();
        Assert.Equal("db upgrade", hold.GetProperty("window").GetString());
        Assert.Equal(AlertHarness.MondayMorning.AddHours(1), hold.GetProperty("until").GetDateTimeOffset());
        Assert.Equal("page", hold.GetProperty("held").GetString());

        h.Time.Advance(TimeSpan.FromMinutes(55));
        await h.DeliverAsync();
        await h.DeliverAsync();
        Assert.Single(h.Http.At("/teams"));

        var after = await h.IncidentAsync(id);
        Assert.Single(Texts(after, "maintenance_held"));
        Assert.Equal(["Sent after maintenance window 'db upgrade' ended"], Texts(after, "maintenance_released"));
        var types = IncidentCalls.TimelineTypes(after);
        Assert.Equal(["opened", "maintenance_held", "maintenance_released", "notification", "notification"], types);

        var page = await StatusPageAsync(id);
        Assert.Contains("This happened during planned maintenance, so the team was not alerted while it lasted.", page, StringComparison.Ordinal);
        Assert.Contains("Planned maintenance ended with the problem still there, so the on-call team was alerted.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("db upgrade", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_held_by_the_window_is_dropped_when_the_test_recovers_during_it()
    {
        var test = await h.CreateTestAsync("login", "P1", threshold: 1);
        await MuteAsync(test, "db upgrade", from: 0, until: 60);

        await h.RecordAsync(test, RunStatus.Failed);
        await h.DeliverAsync();
        var id = await h.OpenIncidentAsync(test);
        h.Time.Advance(TimeSpan.FromMinutes(20));
        await h.RecordAsync(test, RunStatus.Passed);
        await h.DeliverAsync();
        h.Time.Advance(TimeSpan.FromHours(2));
        await h.DeliverAsync();

        Assert.Empty(h.Http.Requests);
        var detail = await h.IncidentAsync(id);
        Assert.Equal(["Held by maintenance window 'db upgrade' (until 11:00 UTC): the alert"], Texts(detail, "maintenance_held"));
        Assert.Equal(["Dropped: recovered during maintenance window 'db upgrade'"], Texts(detail, "maintenance_dropped"));
        Assert.Empty(Texts(detail, "maintenance_released"));
        Assert.Equal(AlertHarness.MondayMorning.AddMinutes(20), Entries(detail, "maintenance_dropped").Single().GetProperty("at").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_reminder_and_an_escalation_of_an_incident_open_before_the_window_are_held_then_sent_after_it()
    {
        var test = await h.CreateTestAsync("cart", "P0", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed);
        await h.DeliverAsync();
        var id = await h.OpenIncidentAsync(test);
        await MuteAsync(test, "db upgrade", from: 10, until: 70);

        // 10:15 the escalation is due, 10:30 the reminder: both wait for 11:10; a retried tick records no second hold.
        h.Time.Advance(TimeSpan.FromMinutes(15));
        await h.DeliverAsync();
        h.Time.Advance(TimeSpan.FromMinutes(15));
        await Task.WhenAll(h.DeliverAsync(), h.DeliverAsync());
        await h.DeliverAsync();
        Assert.Empty(h.Http.At("/hook"));
        var held = await h.IncidentAsync(id);
        Assert.Equal(
            ["Held by maintenance window 'db upgrade' (until 11:10 UTC): an escalation", "Held by maintenance window 'db upgrade' (until 11:10 UTC): a reminder"],
            Texts(held, "maintenance_held"));
        Assert.Empty(Texts(held, "maintenance_released"));

        h.Time.Advance(TimeSpan.FromMinutes(40));
        await h.DeliverAsync();
        await h.DeliverAsync();
        Assert.NotEmpty(h.Http.At("/hook"));
        var after = await h.IncidentAsync(id);
        Assert.Equal(["Sent after maintenance window 'db upgrade' ended", "Sent after maintenance window 'db upgrade' ended"], Texts(after, "maintenance_released"));
        Assert.Equal(["escalation", "reminder"], Entries(after, "maintenance_released").Select(e => e.GetProperty("held").GetString()).Order(StringComparer.Ordinal));
        Assert.All(Entries(after, "maintenance_released"), e => Assert.Equal(AlertHarness.MondayMorning.AddMinutes(70), e.GetProperty("at").GetDateTimeOffset()));
    }

    [Fact]
    public async Task A_held_reminder_is_dropped_when_the_incident_is_acknowledged_during_the_window()
    {
        var test = await h.CreateTestAsync("search", "P1", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed);
        await h.DeliverAsync();
        var id = await h.OpenIncidentAsync(test);
        await MuteAsync(test, "db upgrade", from: 10, until: 120);

        h.Time.Advance(TimeSpan.FromMinutes(61));
        await h.DeliverAsync();
        var ack = await h.AckAsync(id, """{"by": "alice"}""");
        Assert.True(ack.Status == 200, ack.ToString());
        h.Time.Advance(TimeSpan.FromHours(2));
        await h.DeliverAsync();

        var detail = await h.IncidentAsync(id);
        Assert.Equal(["Held by maintenance window 'db upgrade' (until 12:00 UTC): a reminder"], Texts(detail, "maintenance_held"));
        Assert.Equal(["Dropped: acknowledged during maintenance window 'db upgrade'"], Texts(detail, "maintenance_dropped"));
        Assert.Empty(Texts(detail, "maintenance_released"));
    }

    private async Task MuteAsync(Guid test, string name, int from, int until) =>
        await h.Client.CreateMaintenanceOkAsync($$"""
            {"name": "{{name}}", "mode": "mute", "startsAt": "{{AlertHarness.MondayMorning.AddMinutes(from):O}}",
             "endsAt": "{{AlertHarness.MondayMorning.AddMinutes(until):O}}", "tests": ["{{test}}"]}
            """);

    private async Task<string> StatusPageAsync(string id)
    {
        var page = await h.Client.InvokeAsync("GET", $"/status/incidents/{id}", r => h.Client.Function<StatusFunctions>().Incident(r, id, CancellationToken.None),
            requestHeaders: new Dictionary<string, string> { [StatusFunctions.KeyHeader] = Key });
        Assert.True(page.Status == 200, page.ToString());
        return page.Text;
    }

    private static List<JsonElement> Entries(JsonElement detail, string type) =>
        [.. detail.GetProperty("timeline").EnumerateArray().Where(e => e.GetProperty("type").GetString() == type)];

    private static List<string> Texts(JsonElement detail, string type) => [.. Entries(detail, type).Select(e => e.GetProperty("text").GetString()!)];
}
