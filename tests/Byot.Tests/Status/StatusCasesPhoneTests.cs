using Byot.Functions.Http;
using Byot.Shared.Status;
using Byot.Tests.Runtimes;
using Xunit;

namespace Byot.Tests.Status;

/// <summary>The status page with per-case counts ("38 of 40 passing") and a flow passing with quarantined cases, in
/// Chromium at a phone's width (375 px): both read inside the screen and the page does not scroll sideways.</summary>
[Collection(PlaywrightCollection.Name)]
public sealed class StatusCasesPhoneTests
{
    private const int PhoneWidth = 375;

    [Fact]
    public async Task Case_counts_and_passing_with_quarantined_fit_a_phone_screen()
    {
        await using var chromium = await Chromium.LaunchAsync(PhoneWidth, 740);
        var page = chromium.Context.Pages.Count > 0 ? chromium.Context.Pages[0] : await chromium.Context.NewPageAsync();
        await page.SetViewportSizeAsync(PhoneWidth, 740);

        var now = DateTimeOffset.UtcNow;
        var amber = new FlowStatus(Guid.NewGuid(), "Checkout with a saved card and a coupon", "P1", "amber", "failing: 1 of 3 failed runs before an incident", false, 1, 3,
            now, 42_000, 0.97, 0.99, ["passed", "failed"]) { Cases = new FlowCases(38, 1, 1, 0) };
        var quarantined = new FlowStatus(Guid.NewGuid(), "Search", "P2", "green", "passing, with 2 quarantined case(s) failing", false, 0, 3,
            now, 9_000, 1, 1, ["passed", "failed"]) { Cases = new FlowCases(118, 2, 0, 3), PassingWithQuarantined = true };
        await page.SetContentAsync(StatusPageRenderer.Render(new StatusBoard("Is it working?", now, "amber", 30, [amber, quarantined])));

        var pageWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        var metas = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('.flow .meta')].map(m => m.textContent)");
        var states = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('.flow .state')].map(m => m.textContent)");
        var rights = await page.EvaluateAsync<double[]>("[...document.querySelectorAll('.flow .meta, .flow .state')].map(m => m.getBoundingClientRect().right)");
        await page.ScreenshotAsync(new Microsoft.Playwright.PageScreenshotOptions { Path = Chromium.ScreenshotPath("status-cases-phone.png"), FullPage = true });

        Assert.True(pageWidth <= PhoneWidth, $"the page scrolls sideways: {pageWidth} px wide on a {PhoneWidth} px screen");
        Assert.All(rights, r => Assert.True(r <= PhoneWidth, $"text ends at {r} px on a {PhoneWidth} px screen"));
        Assert.Contains("38 of 40 passing", metas[0], StringComparison.Ordinal);
        Assert.Contains("118 of 120 passing", metas[1], StringComparison.Ordinal);
        Assert.Equal("passing, with 2 quarantined case(s) failing", states[1]);
    }
}
