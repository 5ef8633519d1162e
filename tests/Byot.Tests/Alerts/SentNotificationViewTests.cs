using Byot.Shared.Domain;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>A notification that was sent shows no future next attempt (the delivery claim's lease time used to stay on
/// it): its <c>nextAttemptAt</c> is when it was sent.</summary>
public sealed class SentNotificationViewTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment);

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task Sent_notifications_show_when_they_were_sent_as_their_last_attempt_not_a_future_one()
    {
        var test = await h.CreateTestAsync("checkout-sent", "P0", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed);
        await h.DeliverAsync();

        var notifications = (await h.AlertsAsync(test)).GetProperty("incidents")[0].GetProperty("notifications").EnumerateArray().ToList();
        Assert.NotEmpty(notifications);
        Assert.All(notifications, n =>
        {
            Assert.Equal("sent", n.GetProperty("status").GetString());
            Assert.Equal(AlertHarness.MondayMorning, n.GetProperty("nextAttemptAt").GetDateTimeOffset());
        });
        Assert.Equal(0, await environment.ScalarAsync(
            "SELECT count(*) FROM notifications WHERE status = 'sent' AND next_attempt_at <> sent_at"));
    }
}
