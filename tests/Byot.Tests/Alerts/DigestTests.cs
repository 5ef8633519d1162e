using Byot.Shared.Domain;
using Xunit;

namespace Byot.Tests.Alerts;

/// <summary>P3 waits for Monday: its incidents notify nobody when they open and appear, with the flaky tests, in
/// the weekly digest, sent once per week by email and a signed webhook.</summary>
public sealed class DigestTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment);

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task P3_incidents_wait_for_the_weekly_digest_which_lists_them_and_the_flaky_tests_once()
    {
        var newsletter = await h.CreateTestAsync("newsletter", "P3", threshold: 2);
        var flaky = await h.CreateTestAsync("search-flaky", "P2", threshold: 3);
        await h.RecordManyAsync(newsletter, RunStatus.Failed, RunStatus.Failed);
        await h.RecordManyAsync(flaky, RunStatus.Failed, RunStatus.Passed, RunStatus.Failed, RunStatus.Passed);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, (await h.AlertsAsync(newsletter)).GetProperty("openIncident").ValueKind);

        h.Time.Advance(TimeSpan.FromDays(3));
        await h.DeliverAsync();
        Assert.Empty(h.Http.Requests);
        Assert.Empty(h.Smtp.Messages);

        h.Time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        Assert.Equal(2, await h.DigestAsync());
        Assert.Equal(0, await h.DigestAsync());
        await h.DeliverAsync();

        const string Lines = "- [P2] search-flaky: flaky (flips between pass and fail)\n"
            + "- [P3] newsletter: failing since 2026-11-23 10:00:00 UTC, 2 failure(s), still open";
        var mail = Assert.Single(h.Smtp.Messages);
        Assert.Equal("BYOT weekly digest: 1 incident(s), 1 flaky test(s)", mail.Header("Subject"));
        Assert.Equal(Lines, mail.Body.Trim());

        var hook = Assert.Single(h.Http.At("/hook"));
        Assert.Equal("digest", hook.Headers["X-Byot-Event"]);
        Assert.Equal(AlertRoutingTests.ExpectedSignature(AlertHarness.WebhookSecret, hook.Headers["X-Byot-Timestamp"], hook.Body), hook.Headers["X-Byot-Signature"]);
        Assert.Equal(Lines, hook.Json.GetProperty("text").GetString());
        var entries = hook.Json.GetProperty("digest").EnumerateArray().ToList();
        Assert.Equal(["search-flaky", "newsletter"], entries.Select(e => e.GetProperty("testName").GetString()));
        Assert.Equal(newsletter, entries[1].GetProperty("testId").GetGuid());
        Assert.Equal(AlertHarness.MondayMorning, entries[1].GetProperty("openedAt").GetDateTimeOffset());

        h.Time.Advance(TimeSpan.FromHours(1));
        await h.DeliverAsync();
        Assert.Single(h.Smtp.Messages);
        Assert.Single(h.Http.Requests);
    }
}
