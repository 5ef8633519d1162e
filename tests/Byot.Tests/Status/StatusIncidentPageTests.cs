using System.Text.Json;
using Byot.Functions.Http;
using Byot.Shared.Domain;
using Byot.Shared.Status;
using Byot.Tests.Alerts;
using Byot.Tests.Incidents;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Byot.Tests.Status;

/// <summary>The status page's 30-day incident history per flow and its incident page, through the real functions on a
/// private page: recorded results open and resolve a real incident (controlled clock, real delivery to local
/// receivers), and the page tells it without internal detail.</summary>
public sealed class StatusIncidentPageTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private const string Key = "status-incident-key-0123456789";
    private static readonly Dictionary<string, string> WithKey = new() { [StatusFunctions.KeyHeader] = Key };
    private AlertHarness h = null!;

    public async Task InitializeAsync() =>
        h = await AlertHarness.StartAsync(environment, extra: new Dictionary<string, string?> { ["Byot:Status:AccessKey"] = Key });

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task A_resolved_incident_marks_its_day_and_its_page_tells_it_plainly()
    {
        var test = await h.CreateTestAsync("Place an order", "P0", threshold: 2);
        await h.RecordAsync(test, RunStatus.Failed, error: "connection refused by db-prod-7.internal:5432");
        await h.RecordAsync(test, RunStatus.Failed, error: "connection refused by db-prod-7.internal:5432");
        var id = await h.OpenIncidentAsync(test);
        await h.DeliverAsync();
        Assert.NotEmpty(h.Http.At("/slack"));
        h.Time.Advance(TimeSpan.FromMinutes(42));
        await h.RecordAsync(test, RunStatus.Passed);
        await h.DeliverAsync();

        var flow = (await JsonAsync()).GetProperty("flows").EnumerateArray().Single(f => f.GetProperty("id").GetGuid() == test);
        var days = flow.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(30, days.Count);
        Assert.Equal("2026-11-23", days[^1].GetProperty("date").GetString());
        Assert.Equal([id], days[^1].GetProperty("incidents").EnumerateArray().Select(i => i.GetString()));
        Assert.All(days[..^1], d => Assert.Empty(d.GetProperty("incidents").EnumerateArray()));
        var listed = flow.GetProperty("incidents").EnumerateArray().Single();
        Assert.Equal($"status/incidents/{id}", listed.GetProperty("link").GetString());
        Assert.False(listed.GetProperty("ongoing").GetBoolean());

        var board = await h.Client.InvokeAsync("GET", "/status", r => h.Client.Function<StatusFunctions>().Page(r, CancellationToken.None), requestHeaders: WithKey);
        Assert.True(board.Status == 200, board.ToString());
        Assert.Contains($"class=\"hit\" data-day=\"2026-11-23\" href=\"status/incidents/{id}\"", board.Text, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"status/incidents/{id}\">2026-11-23 10:00 UTC, lasted 42 min</a>", board.Text, StringComparison.Ordinal);

        var page = await IncidentPageAsync(id, WithKey);
        Assert.True(page.Status == 200, page.ToString());
        Assert.Equal("text/html; charset=utf-8", page.ContentType);
        Assert.Contains("<h1>Place an order</h1>", page.Text, StringComparison.Ordinal);
        Assert.Contains(">Resolved<", page.Text, StringComparison.Ordinal);
        Assert.Contains("<dt>Impact</dt><dd>Critical: a key flow was broken</dd>", page.Text, StringComparison.Ordinal);
        Assert.Contains("<dt>Started</dt><dd>2026-11-23 10:00 UTC</dd>", page.Text, StringComparison.Ordinal);
        Assert.Contains("<dt>Ended</dt><dd>2026-11-23 10:42 UTC</dd>", page.Text, StringComparison.Ordinal);
        Assert.Contains("<dt>Duration</dt><dd>42 min</dd>", page.Text, StringComparison.Ordinal);
        Assert.Contains("We detected a problem with Place an order: our automated check of it failed 2 times in a row.", page.Text, StringComparison.Ordinal);
        Assert.Contains("The on-call team was alerted.", page.Text, StringComparison.Ordinal);
        Assert.Contains("Place an order is working again: our automated check passed.", page.Text, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(page.Text, "The on-call team was alerted"));
        var shown = page.Text[page.Text.IndexOf("<main>", StringComparison.Ordinal)..];
        foreach (var internalDetail in new[] { "db-prod-7", "connection refused", "slack", "pd-high", "exit code", "127.0.0.1", "infra_error", "rk-high", "/runs/" })
        {
            Assert.DoesNotContain(internalDetail, shown, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task An_ongoing_incident_is_amber_in_the_history_and_says_so_on_its_page()
    {
        var test = await h.CreateTestAsync("Sign in", "P2", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed);
        var id = await h.OpenIncidentAsync(test);
        h.Time.Advance(TimeSpan.FromMinutes(125));

        var board = await h.Client.InvokeAsync("GET", "/status", r => h.Client.Function<StatusFunctions>().Page(r, CancellationToken.None), requestHeaders: WithKey);
        Assert.Contains($"class=\"open\" data-day=\"2026-11-23\" href=\"status/incidents/{id}\"", board.Text, StringComparison.Ordinal);
        Assert.Contains("Ongoing since 2026-11-23 10:00 UTC", board.Text, StringComparison.Ordinal);

        var page = await IncidentPageAsync(id, WithKey);
        Assert.Contains(">Ongoing<", page.Text, StringComparison.Ordinal);
        Assert.Contains("<dt>Ended</dt><dd>not yet: we are on it</dd>", page.Text, StringComparison.Ordinal);
        Assert.Contains("<dt>Duration</dt><dd>2 h 5 min so far</dd>", page.Text, StringComparison.Ordinal);
        Assert.Contains("<dt>Impact</dt><dd>Minor: a secondary flow was broken</dd>", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_incident_page_is_private_like_the_board_and_knows_only_the_flows_incidents()
    {
        var test = await h.CreateTestAsync("Search", "P1", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed);
        var id = await h.OpenIncidentAsync(test);

        var anonymous = await IncidentPageAsync(id, null);
        Assert.True(anonymous.Status == 401, anonymous.ToString());
        Assert.Equal("application/problem+json; charset=utf-8", anonymous.ContentType);
        var browser = await IncidentPageAsync(id, new Dictionary<string, string> { ["Accept"] = "text/html" });
        Assert.Equal(401, browser.Status);
        Assert.Contains("<form method=\"post\" action=\"../../status\">", browser.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Search", browser.Text, StringComparison.Ordinal);
        var wrong = await IncidentPageAsync(id, new Dictionary<string, string> { [StatusFunctions.KeyHeader] = "not-the-key" });
        Assert.Equal(401, wrong.Status);

        var cookie = h.Client.Services.GetRequiredService<StatusService>().CookieValue();
        var withCookie = await IncidentPageAsync(id, new Dictionary<string, string> { ["Cookie"] = $"{StatusFunctions.CookieName}={cookie}" });
        Assert.True(withCookie.Status == 200, withCookie.ToString());

        var unknown = await IncidentPageAsync(Guid.NewGuid().ToString(), WithKey);
        Assert.Equal(404, unknown.Status);
        var malformed = await IncidentPageAsync("not-an-id", WithKey);
        Assert.Equal(400, malformed.Status);

        // An operator incident is the infrastructure's, not a flow's: not on the page.
        var operatorIncident = Guid.NewGuid();
        Assert.Equal(1, await environment.ScalarAsync("""
            WITH d AS (INSERT INTO incidents (id, kind, severity, dedup_key, failing_since, opened_at, failure_count, resolved_at)
                       VALUES (@id, 'operator', 'P1', 'byot:operator:status-page-test', now(), now(), 5, now()) RETURNING 1)
            SELECT count(*) FROM d
            """, ("id", operatorIncident)));
        Assert.Equal(404, (await IncidentPageAsync(operatorIncident.ToString(), WithKey)).Status);

        // A deleted flow's incidents go with it.
        var deleted = await h.Api.DeleteTestAsync(test.ToString());
        Assert.True(deleted.Status is >= 200 and < 300, deleted.ToString());
        Assert.Equal(404, (await IncidentPageAsync(id, WithKey)).Status);
    }

    private Task<TestResponse> IncidentPageAsync(string id, Dictionary<string, string>? headers) =>
        h.Client.InvokeAsync("GET", $"/status/incidents/{id}", r => h.Client.Function<StatusFunctions>().Incident(r, id, CancellationToken.None), requestHeaders: headers);

    private async Task<JsonElement> JsonAsync()
    {
        var json = await h.Client.InvokeAsync("GET", "/status.json", r => h.Client.Function<StatusFunctions>().Json(r, CancellationToken.None), requestHeaders: WithKey);
        Assert.True(json.Status == 200, json.ToString());
        return json.Json.Clone();
    }
}
