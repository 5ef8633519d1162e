using Byot.Functions.Http;
using Byot.Shared.Artifacts;
using Byot.Shared.Domain;
using Byot.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Byot.Tests.Status;

/// <summary>The status page shows a failing screenshot for red flows only: every seeded flow's latest run kept a PNG,
/// and only the red one's is linked and served; the others are 404, and so is an unknown flow.</summary>
public sealed class StatusScreenshotTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

    [Fact]
    public async Task Only_a_red_flows_latest_failed_run_gives_the_page_a_screenshot()
    {
        await using var client = new FunctionsClient(environment, new Dictionary<string, string?> { ["Byot:Status:Public"] = "true" });
        var api = new ByotApi(client);
        await environment.ScalarAsync("WITH d AS (DELETE FROM tests RETURNING 1) SELECT count(*) FROM d");
        var flows = await StatusBoardFixture.SeedAsync(environment, api);
        foreach (var name in new[] { "red", "amber", "green", "flaky" })
        {
            await KeepScreenshotAsync(client, api, flows[name]);
        }

        var board = (await client.InvokeAsync("GET", "/status.json", r => client.Function<StatusFunctions>().Json(r, CancellationToken.None))).Json;
        var shots = board.GetProperty("flows").EnumerateArray().ToDictionary(f => f.GetProperty("id").GetGuid(), f => f.GetProperty("screenshot").GetString());
        Assert.Equal($"status/screenshots/{flows["red"]:D}", shots[flows["red"]]);
        Assert.All(flows.Where(f => f.Key != "red"), f => Assert.Null(shots[f.Value]));

        var red = await GetAsync(client, flows["red"].ToString("D"));
        Assert.Equal(200, red.Status);
        Assert.Equal("image/png", red.ContentType);
        Assert.Equal(Png, red.Body);
        Assert.Equal("nosniff", red.Headers["X-Content-Type-Options"]);
        foreach (var other in new[] { flows["amber"], flows["green"], flows["flaky"], Guid.NewGuid() })
        {
            var response = await GetAsync(client, other.ToString("D"));
            Assert.True(response.Status == 404, response.ToString());
            Assert.Equal("application/problem+json; charset=utf-8", response.ContentType);
        }

        Assert.Equal(400, (await GetAsync(client, "not-a-guid")).Status);
    }

    private static Task<TestResponse> GetAsync(FunctionsClient client, string testId) =>
        client.InvokeAsync("GET", $"/status/screenshots/{testId}", r => client.Function<StatusFunctions>().Screenshot(r, testId, CancellationToken.None));

    /// <summary>The flow's latest run keeps a PNG, as the Runner keeps a file from /artifacts.</summary>
    private static async Task KeepScreenshotAsync(FunctionsClient client, ByotApi api, Guid testId)
    {
        var latest = (await api.HistoryAsync(testId.ToString("D"))).Json.GetProperty("runs")[0].GetProperty("id").GetGuid();
        var blob = ArtifactStore.RunFileBlobName(latest, "test-results/failed.png");
        await client.Services.GetRequiredService<ArtifactStore>().WriteAsync(blob, new MemoryStream(Png), 1_000, CancellationToken.None);
        await client.Services.GetRequiredService<RunStore>().AddArtifactAsync(new RunArtifact(latest, "test-results/failed.png", blob, Png.Length), CancellationToken.None);
    }
}
