using System.Net;
using System.Text.Json;
using Byot.Functions.Http;
using Xunit;

namespace Byot.Tests.Status;

/// <summary>The status page rendered from real rows in Postgres.</summary>
public sealed class StatusPageTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private FunctionsClient client = null!;
    private ByotApi api = null!;
    private Dictionary<string, Guid> flows = null!;

    public async Task InitializeAsync()
    {
        client = new FunctionsClient(environment, new Dictionary<string, string?> { ["Byot:Status:Public"] = "true" });
        api = new ByotApi(client);
        await environment.ScalarAsync("WITH d AS (DELETE FROM tests RETURNING 1) SELECT count(*) FROM d");
        flows = await StatusBoardFixture.SeedAsync(environment, api);
    }

    public async Task DisposeAsync() => await client.DisposeAsync();

    [Fact]
    public async Task The_json_board_gives_every_flow_its_state_uptime_and_last_runs()
    {
        var response = await client.InvokeAsync("GET", "/status.json", r => client.Function<StatusFunctions>().Json(r, CancellationToken.None));

        Assert.Equal(200, response.Status);
        var board = response.Json;
        Assert.Equal("red", board.GetProperty("overall").GetString());
        var byId = board.GetProperty("flows").EnumerateArray().ToDictionary(f => f.GetProperty("id").GetGuid());
        Assert.Equal("green", State(byId, "green"));
        Assert.Equal("red", State(byId, "red"));
        Assert.Equal("amber", State(byId, "amber"));
        Assert.Equal("amber", State(byId, "flaky"));
        Assert.True(byId[flows["flaky"]].GetProperty("flaky").GetBoolean());
        Assert.Equal("grey", State(byId, "grey"));
        Assert.Equal("grey", State(byId, "disabled"));

        var red = byId[flows["red"]];
        Assert.Equal(3, red.GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal(0.25, red.GetProperty("uptime24h").GetDouble(), 6);
        Assert.Equal(["passed", "failed", "timed_out", "oom"], red.GetProperty("recent").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(1.0, byId[flows["green"]].GetProperty("uptime24h").GetDouble() * 3 / 2, 6);
        Assert.Equal(JsonValueKind.Null, byId[flows["grey"]].GetProperty("lastRunAt").ValueKind);
    }

    [Fact]
    public async Task The_html_page_shows_each_flow_encoded_coloured_and_refreshing()
    {
        var response = await client.InvokeAsync("GET", "/status", r => client.Function<StatusFunctions>().Page(r, CancellationToken.None));

        Assert.Equal(200, response.Status);
        Assert.Equal("text/html; charset=utf-8", response.ContentType);
        var html = response.Text;
        Assert.Contains("<meta http-equiv=\"refresh\" content=\"30\">", html, StringComparison.Ordinal);
        Assert.Contains("name=\"viewport\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(StatusBoardFixture.RedName), html, StringComparison.Ordinal);
        Assert.Contains("Something is broken", html, StringComparison.Ordinal);
        Assert.Equal(2, Count(html, "data-state=\"grey\""));
        Assert.Equal(2, Count(html, "data-state=\"amber\""));
        Assert.Equal(1, Count(html, "data-state=\"red\""));
        Assert.Equal(1, Count(html, "data-state=\"green\""));
        Assert.Equal(4 + 4 + 3 + 7 + 1, Count(html, "<span class=\"passed\"") + Count(html, "<span class=\"failed\"") + Count(html, "<span class=\"timed_out\"") + Count(html, "<span class=\"oom\"") + Count(html, "<span class=\"infra_error\""));
    }

    [Fact]
    public async Task A_private_page_needs_its_key()
    {
        await using var privateClient = new FunctionsClient(environment, new Dictionary<string, string?>
        {
            ["Byot:Status:Public"] = "false",
            ["Byot:Status:AccessKey"] = "s3cret-board-0123456789",
        });

        var without = await privateClient.InvokeAsync("GET", "/status", r => privateClient.Function<StatusFunctions>().Page(r, CancellationToken.None));
        var wrong = await privateClient.InvokeAsync("GET", "/status.json?key=nope", r => privateClient.Function<StatusFunctions>().Json(r, CancellationToken.None));
        var inUrl = await privateClient.InvokeAsync("GET", "/status?key=s3cret-board-0123456789", r => privateClient.Function<StatusFunctions>().Page(r, CancellationToken.None));
        var header = await privateClient.InvokeAsync("GET", "/status.json", r => privateClient.Function<StatusFunctions>().Json(r, CancellationToken.None),
            requestHeaders: new Dictionary<string, string> { ["x-byot-status-key"] = "s3cret-board-0123456789" });

        Assert.Equal(401, without.Status);
        Assert.Equal("application/problem+json; charset=utf-8", without.ContentType);
        Assert.Equal(400, wrong.Status);
        Assert.Equal(400, inUrl.Status);
        Assert.Equal(200, header.Status);
    }

    private string? State(Dictionary<Guid, JsonElement> byId, string flow) => byId[flows[flow]].GetProperty("state").GetString();

    private static int Count(string text, string needle)
    {
        var count = 0;
        for (var at = text.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = text.IndexOf(needle, at + needle.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
