using Byot.Functions.Http;
using Byot.Tests.Alerts;
using Xunit;

namespace Byot.Tests.Maintenance;

/// <summary>The status page announces the windows in force or starting within a week that cover a flow it shows.</summary>
public sealed class MaintenanceStatusPageTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private AlertHarness h = null!;

    public async Task InitializeAsync() =>
        h = await AlertHarness.StartAsync(environment, extra: new Dictionary<string, string?> { ["Byot:Status:Public"] = "true" });

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task Ongoing_and_upcoming_windows_are_listed_with_the_flows_they_cover()
    {
        var response = await h.Api.UploadAsync("#!/bin/sh\n"u8.ToArray(), "c.test", [("runtime", "go"), ("name", "Checkout"), ("tags", "service:checkout")]);
        Assert.True(response.Status == 201, response.ToString());
        await CreateAsync("Database upgrade", "mute", 0, 120, "service:checkout");
        await CreateAsync("Payment provider switch", "pause", 3 * 24 * 60, 3 * 24 * 60 + 60, "service:checkout");
        await CreateAsync("Next month", "mute", 20 * 24 * 60, 20 * 24 * 60 + 60, "service:checkout");
        await CreateAsync("Nobody's", "mute", 0, 60, "service:none");

        var json = await h.Client.InvokeAsync("GET", "/status.json", r => h.Client.Function<StatusFunctions>().Json(r, CancellationToken.None));
        var listed = json.Json.GetProperty("maintenance").EnumerateArray().ToList();
        Assert.Equal(["Database upgrade", "Payment provider switch"], listed.Select(m => m.GetProperty("name").GetString()));
        Assert.True(listed[0].GetProperty("ongoing").GetBoolean());
        Assert.Equal(["Checkout"], listed[0].GetProperty("flows").EnumerateArray().Select(f => f.GetString()));

        var page = await h.Client.InvokeAsync("GET", "/status", r => h.Client.Function<StatusFunctions>().Page(r, CancellationToken.None));
        Assert.Contains("Planned maintenance", page.Text, StringComparison.Ordinal);
        Assert.Contains("Now, until 2026-11-23 12:00 UTC: Database upgrade (alerts held) for Checkout", page.Text, StringComparison.Ordinal);
        Assert.Contains("2026-11-26 10:00 to 2026-11-26 11:00 UTC: Payment provider switch (checks paused) for Checkout", page.Text, StringComparison.Ordinal);
    }

    private async Task CreateAsync(string name, string mode, int from, int until, string tag)
    {
        var body = $$"""
            {"name": "{{name}}", "mode": "{{mode}}", "startsAt": "{{AlertHarness.MondayMorning.AddMinutes(from):O}}",
             "endsAt": "{{AlertHarness.MondayMorning.AddMinutes(until):O}}", "tags": ["{{tag}}"]}
            """;
        await h.Client.CreateMaintenanceOkAsync(body);
    }
}
