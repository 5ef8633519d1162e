using Byot.Shared.Domain;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>Tag routes over real local receivers: a tagged test's incident reaches its severity's channels and the tag
/// route's, each exactly once per trigger and once per recovery; an untagged test only its severity's; a route limited
/// to some severities leaves the others alone.</summary>
public sealed class TagRouteTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment, extra: new Dictionary<string, string?>
    {
        ["Byot:Alerts:Channels:payments-slack:Type"] = "Slack",
        ["Byot:Alerts:Channels:payments-slack:Url"] = "{receiver}/payments-slack",
        ["Byot:Alerts:Channels:payments-pager:Type"] = "Slack",
        ["Byot:Alerts:Channels:payments-pager:Url"] = "{receiver}/payments-pager",
        ["Byot:Alerts:TagRoutes:0:Tag"] = "team:payments",
        ["Byot:Alerts:TagRoutes:0:Channels"] = "payments-slack",
        ["Byot:Alerts:TagRoutes:1:Tag"] = "team:payments",
        ["Byot:Alerts:TagRoutes:1:Channels"] = "payments-pager, slack",
        ["Byot:Alerts:TagRoutes:1:Severities"] = "P0",
    });

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task A_tagged_test_reaches_its_severity_channels_and_the_tag_channels_once_on_trigger_and_once_on_recovery()
    {
        var test = await CreateAsync("pay", "P0", "team:payments,service:checkout");

        await h.RecordAsync(test, RunStatus.Failed);
        await h.DeliverAsync();
        h.Time.Advance(TimeSpan.FromMinutes(2));
        await h.RecordAsync(test, RunStatus.Passed);
        await h.DeliverAsync();
        await h.DeliverAsync();

        // slack is named by the P0 route and by tag route 1: one channel, so one trigger and one recovery notice.
        Assert.Equal(
            ["payments-pager:resolve", "payments-pager:trigger", "payments-slack:resolve", "payments-slack:trigger",
             "pd-high:resolve", "pd-high:trigger", "slack:resolve", "slack:trigger"],
            await SentAsync(test));
        Assert.Equal(2, h.Http.At("/pd").Count);
        Assert.Contains("\"event_action\":\"resolve\"", h.Http.At("/pd")[1].Text, StringComparison.Ordinal);
        foreach (var path in new[] { "/slack", "/payments-slack", "/payments-pager" })
        {
            Assert.Equal(2, h.Http.At(path).Count);
            Assert.Contains("is failing", h.Http.At(path)[0].Text, StringComparison.Ordinal);
            Assert.Contains("Resolved", h.Http.At(path)[1].Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_untagged_test_reaches_only_its_severity_channels()
    {
        var test = await CreateAsync("plain", "P0", "team:identity");

        await h.RecordAsync(test, RunStatus.Failed);
        await h.DeliverAsync();
        await h.RecordAsync(test, RunStatus.Passed);
        await h.DeliverAsync();

        Assert.Equal(["pd-high:resolve", "pd-high:trigger", "slack:resolve", "slack:trigger"], await SentAsync(test));
        Assert.Empty(h.Http.At("/payments-slack"));
        Assert.Empty(h.Http.At("/payments-pager"));
    }

    [Fact]
    public async Task A_route_limited_to_P0_ignores_a_P2_test_with_the_tag_while_the_unlimited_route_takes_it()
    {
        var test = await CreateAsync("pay-report", "P2", "team:payments");

        await h.RecordAsync(test, RunStatus.Failed);
        await h.DeliverAsync();
        await h.RecordAsync(test, RunStatus.Passed);
        await h.DeliverAsync();

        Assert.Equal(
            ["hook:resolve", "hook:trigger", "payments-slack:resolve", "payments-slack:trigger", "slack:resolve", "slack:trigger"],
            await SentAsync(test));
        Assert.Empty(h.Http.At("/payments-pager"));
        Assert.Equal(2, h.Http.At("/payments-slack").Count);
    }

    [Fact]
    public async Task Reminders_follow_the_tag_channels_and_a_tag_removed_before_recovery_still_gets_the_recovery_notice()
    {
        var test = await CreateAsync("pay-remind", "P0", "team:payments");

        await h.RecordAsync(test, RunStatus.Failed);
        await h.DeliverAsync();
        h.Time.Advance(TimeSpan.FromMinutes(31));
        await h.DeliverAsync();
        var patch = await h.Api.PatchTestAsync(test.ToString(), """{ "tags": [] }""");
        Assert.True(patch.Status == 200, patch.ToString());
        await h.RecordAsync(test, RunStatus.Passed);
        await h.DeliverAsync();

        // The P0 reminder goes to chat, not to the pager; the recovery notice goes where the trigger went.
        Assert.Equal(
            ["payments-pager:reminder", "payments-pager:resolve", "payments-pager:trigger",
             "payments-slack:reminder", "payments-slack:resolve", "payments-slack:trigger",
             "pd-high:resolve", "pd-high:trigger", "slack:reminder", "slack:resolve", "slack:trigger"],
            await SentAsync(test));
    }

    private async Task<Guid> CreateAsync(string name, string severity, string tags)
    {
        var response = await h.Api.UploadAsync("#!/bin/sh\nexit 0\n"u8.ToArray(), "x.test",
            [("runtime", "go"), ("name", name), ("severity", severity), ("failure_threshold", "1"), ("tags", tags)]);
        Assert.True(response.Status == 201, response.ToString());
        return response.Json.GetProperty("id").GetGuid();
    }

    private async Task<List<string>> SentAsync(Guid test)
    {
        var incident = (await h.AlertsAsync(test)).GetProperty("incidents")[0];
        var notifications = incident.GetProperty("notifications").EnumerateArray().ToList();
        Assert.All(notifications, n => Assert.Equal("sent", n.GetProperty("status").GetString()));
        return [.. notifications.Select(n => n.GetProperty("channel").GetString() + ":" + n.GetProperty("kind").GetString()).Order(StringComparer.Ordinal)];
    }
}
