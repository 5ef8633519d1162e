using System.Text;
using System.Text.Json;
using Byot.Functions.Http;
using Byot.Shared.Cases;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Runtimes;

/// <summary>A real Playwright project (the sample shop, started by the project's own webServer inside the container)
/// runs on the local Playwright image under the full hardening and the defaults a user gets (512 MiB, pids, /tmp,
/// /dev/shm), through the runtime's documented default command: one passing spec, one failing with a screenshot, one
/// failing once and passing on Playwright's retry.</summary>
[Collection(PlaywrightCollection.Name)]
public sealed class PlaywrightRuntimeTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    private const string StatusKey = "playwright-status-key-0123456789";
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task A_project_with_a_failing_and_a_flaky_spec_fails_with_screenshot_trace_reports_and_live_lines()
    {
        await using var kit = await RunnerKit.StartAsync(environment, PlaywrightSettings.AtDefaults());
        var testId = await kit.UploadAsync(PlaywrightProjectBundle.TarGz(), "playwright", "shop.tar.gz", ("timeout", "300"), ("failure_threshold", "1"));
        var runId = await kit.Api.RunNowOkAsync(testId);

        // Live: a list-reporter line of the first spec is in the stored log while the run is still going.
        var seenLive = false;
        for (var i = 0; i < 1_200 && !seenLive; i++)
        {
            var current = (await kit.Api.GetRunAsync(runId.ToString("D"))).Json;
            var status = current.GetProperty("status").GetString();
            if (status is not ("queued" or "running"))
            {
                break;
            }

            // The log blob exists from the first stored line on.
            seenLive = status == "running" && current.GetProperty("logBytes").GetInt64() > 0
                && (await kit.LogAsync(runId)).Contains("adds an item to the cart", StringComparison.Ordinal);
            await Task.Delay(250);
        }

        var run = await kit.Api.WaitForFinalAsync(runId, TimeSpan.FromMinutes(5));
        var log = await kit.LogAsync(runId);
        Assert.True(run.GetProperty("status").GetString() == "failed", $"{run}\n{log}");
        Assert.Equal(1, run.GetProperty("exitCode").GetInt32());
        Assert.True(seenLive, "no list-reporter line reached the log while the run was running:\n" + log);
        Assert.Matches(@"\[stdout\]\s+✓\s+\d+ tests/cart\.spec\.ts:\d+:\d+ › adds an item to the cart", log);
        Assert.Matches(@"\[stdout\]\s+✘\s+\d+ tests/checkout\.spec\.ts:\d+:\d+ › shows the pay button", log);
        Assert.Contains("1 flaky", log, StringComparison.Ordinal);

        var artifacts = (await ListArtifactsAsync(kit, runId)).EnumerateArray().ToDictionary(a => a.GetProperty("path").GetString()!);
        var screenshot = artifacts["test-results/checkout-shows-the-pay-button/test-failed-1.png"];
        Assert.Equal("image/png", screenshot.GetProperty("contentType").GetString());
        Assert.True(screenshot.GetProperty("inline").GetBoolean());
        var image = await DownloadAsync(kit, runId, "test-results/checkout-shows-the-pay-button/test-failed-1.png");
        Assert.Equal("image/png", image.ContentType);
        Assert.Equal(PngSignature, image.Body.Take(8).ToArray());

        // Traces on the first retry only: the retried attempts have one, the first attempts do not.
        var trace = await DownloadAsync(kit, runId, "test-results/flaky-loads-the-shop-after-a-hiccup-retry1/trace.zip");
        Assert.Equal("application/octet-stream", trace.ContentType);
        Assert.Equal("PK"u8.ToArray(), trace.Body.Take(2).ToArray());
        Assert.Contains("test-results/checkout-shows-the-pay-button-retry1/trace.zip", artifacts.Keys);
        Assert.DoesNotContain(artifacts.Keys, k => k.StartsWith("test-results/checkout-shows-the-pay-button/", StringComparison.Ordinal) && k.EndsWith("trace.zip", StringComparison.Ordinal));
        Assert.Contains("junit.xml", artifacts.Keys);

        // The JSON reporter's file, read by BYOT's own parser: names, and the retried spec marked flaky.
        var report = await DownloadAsync(kit, runId, "playwright-report.json");
        var sink = new CaseSink(CaseLimits.Default);
        await PlaywrightReportParser.ParseAsync(new MemoryStream(report.Body), "playwright-report.json", sink, CancellationToken.None);
        var cases = sink.Cases.ToDictionary(c => c.Name);
        Assert.Equal(3, cases.Count);
        Assert.Equal(CaseStatus.Passed, cases["adds an item to the cart"].Status);
        Assert.False(cases["adds an item to the cart"].Flaky);
        Assert.Equal(CaseStatus.Failed, cases["shows the pay button"].Status);
        Assert.Equal(CaseStatus.Passed, cases["loads the shop after a hiccup"].Status);
        Assert.True(cases["loads the shop after a hiccup"].Flaky);
        Assert.Empty(sink.Warnings);

        // The flow is red (threshold 1): the status page shows the failing screenshot, served with the page's own key.
        await using var board = new FunctionsClient(environment, new Dictionary<string, string?> { ["Byot:Status:AccessKey"] = StatusKey });
        var key = new Dictionary<string, string> { ["x-byot-status-key"] = StatusKey };
        var page = await board.InvokeAsync("GET", "/status", r => board.Function<StatusFunctions>().Page(r, CancellationToken.None), requestHeaders: key);
        Assert.Contains($"<img src=\"status/screenshots/{testId:D}\" alt=\"Screenshot of the failing run of shop.tar.gz\"", page.Text, StringComparison.Ordinal);
        var shot = await board.InvokeAsync("GET", $"/status/screenshots/{testId:D}",
            r => board.Function<StatusFunctions>().Screenshot(r, testId.ToString("D"), CancellationToken.None), requestHeaders: key);
        Assert.True(shot.Status == 200, shot.ToString());
        Assert.Equal("image/png", shot.ContentType);
        var screenshots = new List<byte[]>();
        foreach (var path in artifacts.Keys.Where(k => k.EndsWith(".png", StringComparison.Ordinal)))
        {
            screenshots.Add((await DownloadAsync(kit, runId, path)).Body);
        }

        Assert.Contains(screenshots, s => s.AsSpan().SequenceEqual(shot.Body));
        var anonymous = await board.InvokeAsync("GET", $"/status/screenshots/{testId:D}",
            r => board.Function<StatusFunctions>().Screenshot(r, testId.ToString("D"), CancellationToken.None));
        Assert.Equal(401, anonymous.Status);
    }

    private static async Task<JsonElement> ListArtifactsAsync(RunnerKit kit, Guid runId)
    {
        var id = runId.ToString("D");
        var response = await kit.Client.InvokeAsync("GET", $"/runs/{id}/artifacts", r => kit.Client.Function<RunArtifactsFunctions>().List(r, id, CancellationToken.None));
        Assert.True(response.Status == 200, response.ToString());
        return response.Json;
    }

    private static async Task<TestResponse> DownloadAsync(RunnerKit kit, Guid runId, string path)
    {
        var id = runId.ToString("D");
        var response = await kit.Client.InvokeAsync("GET", $"/runs/{id}/artifacts/{path}", r => kit.Client.Function<RunArtifactsFunctions>().Get(r, id, path, CancellationToken.None));
        Assert.True(response.Status == 200, $"{path}: {response.Status} {Encoding.UTF8.GetString(response.Body.Take(300).ToArray())}");
        return response;
    }
}
