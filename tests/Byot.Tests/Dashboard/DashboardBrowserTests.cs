using System.Text.Json;
using Byot.Tests.Cli;
using Byot.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit;

namespace Byot.Tests.Dashboard;

/// <summary>The dashboard in Debian's Chromium against the real API (Kestrel on 127.0.0.1 routing to the Functions'
/// classes), a real Runner and Docker behind it: the path an engineer takes when something broke.</summary>
public sealed class DashboardBrowserTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    private const string Png = CheckoutScreenshot.Base64;
    private static readonly float Timeout = 30_000;

    [Fact]
    public async Task An_engineer_finds_the_failing_test_reads_its_run_and_log_sees_the_screenshot_and_runs_it_again()
    {
        // Each follow response ends after a second, so the live run (4 s) is followed across reconnects (Last-Event-ID).
        await using var server = await CliServer.StartAsync(environment, new Dictionary<string, string?> { ["Byot:Api:FollowMaxSeconds"] = "1" });
        await using var runner = await RunnerHost.StartAsync(environment);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        http.DefaultRequestHeaders.Add("x-functions-key", CliServer.Key);

        // The failing test prints a line, waits, prints the line that says what broke, keeps a screenshot, fails.
        var checkout = await UploadAsync(http, "Checkout & pay", "P0", $"""
            echo "opening checkout"
            sleep 4
            echo "pay button not found"
            echo '{Png}' | base64 -d > /artifacts/checkout.png
            exit 1
            """);
        var login = await UploadAsync(http, "Login", "P2", "echo ok");
        var firstRun = await RunToEndAsync(http, checkout);
        await RunToEndAsync(http, login);

        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Context.NewPageAsync();
        page.SetDefaultTimeout(Timeout);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Response += (_, r) => { if (r.Status >= 400) errors.Add($"{r.Status} {r.Url}"); };

        // Tests page: the key is asked once, then the failing test is listed first, with its state in words.
        await page.GotoAsync(server.Url + "/app");
        await page.GetByLabel("Function key").FillAsync(CliServer.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open the dashboard" }).ClickAsync();
        var failingRow = page.Locator($"tr[data-test-id='{checkout}']");
        await Assertions.Expect(failingRow).ToHaveAttributeAsync("data-state", "failing");
        await Assertions.Expect(failingRow.Locator(".badge").First).ToContainTextAsync("failing");
        await Assertions.Expect(page.Locator("tbody tr").First).ToHaveAttributeAsync("data-test-id", checkout);
        await Assertions.Expect(page.Locator($"tr[data-test-id='{login}']")).ToHaveAttributeAsync("data-state", "passing");
        await page.GetByLabel("State").SelectOptionAsync("failing");
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("dashboard-tests.png"), FullPage = true });
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await page.SetViewportSizeAsync(390, 844);
        Assert.Equal("rgb(13, 17, 23)", await page.EvaluateAsync<string>("getComputedStyle(document.documentElement).backgroundColor"));
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("dashboard-tests-phone-dark.png"), FullPage = true });
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await page.SetViewportSizeAsync(1280, 900);

        // Test page, then its failing run from the history.
        await failingRow.GetByRole(AriaRole.Link, new() { Name = "Checkout & pay" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Checkout & pay", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".charts canvas").First).ToBeVisibleAsync();
        var historyRow = page.Locator($"tr[data-run-id='{firstRun}']");
        await Assertions.Expect(historyRow).ToHaveAttributeAsync("data-status", "failed");
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("dashboard-test.png"), FullPage = true });
        await historyRow.GetByRole(AriaRole.Link).ClickAsync();

        // Run page: status, exit code, the log, and the screenshot shown inline.
        await Assertions.Expect(page.Locator(".title .badge")).ToContainTextAsync("failed");
        await Assertions.Expect(page.Locator("dl.facts")).ToContainTextAsync("Exit code1");
        await Assertions.Expect(page.GetByRole(AriaRole.Log)).ToContainTextAsync("pay button not found");
        var image = page.GetByRole(AriaRole.Img, new() { Name = "Artifact checkout.png" });
        await Assertions.Expect(image).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth === " + CheckoutScreenshot.Width, await image.ElementHandleAsync());
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("dashboard-run.png"), FullPage = true });

        // Run now, confirmed in the dialog: the new run's page follows its log live.
        await page.GetByRole(AriaRole.Link, new() { Name = "Checkout & pay" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("Start \"Checkout & pay\" now");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("#/runs/", StringComparison.Ordinal) && !url.Contains(firstRun, StringComparison.Ordinal));
        var newRun = page.Url[(page.Url.IndexOf("#/runs/", StringComparison.Ordinal) + "#/runs/".Length)..];
        var log = page.GetByRole(AriaRole.Log);
        await Assertions.Expect(log).ToContainTextAsync("opening checkout");
        // The first line is on screen while the run is still going: it came live, not after the end.
        Assert.DoesNotContain("pay button not found", await log.TextContentAsync() ?? "", StringComparison.Ordinal);
        Assert.Equal("running", await RunStatusAsync(http, newRun));
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("dashboard-run-live.png"), FullPage = true });
        await Assertions.Expect(log).ToContainTextAsync("pay button not found");
        await Assertions.Expect(page.Locator(".title .badge")).ToContainTextAsync("failed");
        await Assertions.Expect(page.Locator(".log-head .muted").First).ToHaveTextAsync("3 lines");
        var followed = await page.EvaluateAsync<string>("() => document.querySelector('[role=log]').innerText");
        Assert.Single(followed.Split('\n'), l => l.Contains("opening checkout", StringComparison.Ordinal));
        Assert.Single(followed.Split('\n'), l => l.Contains("pay button not found", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "← Previous run (failed)" })).ToHaveAttributeAsync("href", $"#/runs/{firstRun}");

        // Back on the Test page, the new run heads the history.
        await page.GetByRole(AriaRole.Link, new() { Name = "Checkout & pay" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-run-id]").First).ToHaveAttributeAsync("data-run-id", newRun);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private static async Task<string> UploadAsync(HttpClient http, string name, string severity, string script)
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(RunnerKit.Shell(script)), "binary", "test.sh" },
            { new StringContent("go"), "runtime" },
            { new StringContent(severity), "severity" },
            { new StringContent(name), "name" },
            { new StringContent("1"), "failure_threshold" },
        };
        using var response = await http.PostAsync("/uploadBinary", form);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<string> RunToEndAsync(HttpClient http, string testId)
    {
        using var response = await http.PostAsync($"/run/{testId}", null);
        var runId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await RunStatusAsync(http, runId) is "queued" or "running")
        {
            Assert.True(DateTime.UtcNow < deadline, $"run {runId} did not finish within 60 s");
            await Task.Delay(200);
        }

        return runId;
    }

    private static async Task<string> RunStatusAsync(HttpClient http, string runId) =>
        JsonDocument.Parse(await http.GetStringAsync($"/runs/{runId}")).RootElement.GetProperty("status").GetString()!;
}
