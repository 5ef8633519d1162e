using Byot.Functions.Http;
using Byot.Shared.Status;
using Byot.Tests.Runtimes;
using Microsoft.Playwright;
using Xunit;

namespace Byot.Tests.Status;

/// <summary>The status page of a red browser flow, in Chromium at a phone's width (375 px): the failing screenshot
/// (a real 1280×720 one) is a thumbnail inside the screen, and the page does not scroll sideways.</summary>
[Collection(PlaywrightCollection.Name)]
public sealed class StatusScreenshotPhoneTests
{
    private const int PhoneWidth = 375;

    [Fact]
    public async Task A_red_flows_screenshot_fits_a_phone_screen()
    {
        await using var chromium = await Chromium.LaunchAsync(PhoneWidth, 740);
        var page = chromium.Context.Pages.Count > 0 ? chromium.Context.Pages[0] : await chromium.Context.NewPageAsync();
        await page.SetViewportSizeAsync(1280, 720);
        await page.SetContentAsync("<body style=\"margin:0;background:#fde\"><h1>Checkout</h1><p>No pay button</p></body>");
        var screenshot = await page.ScreenshotAsync();
        await page.SetViewportSizeAsync(PhoneWidth, 740);

        var id = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var flow = new FlowStatus(id, "Checkout in the browser", "P1", "red", "failing: 3 failed runs in a row", false, 3, 3, now, 9_000, 0.5, 0.9, ["failed", "failed", "failed"])
        {
            Screenshot = StatusService.ScreenshotLink(id),
        };
        var html = StatusPageRenderer.Render(new StatusBoard("Is it working?", now, "red", 30, [flow]));
        await page.RouteAsync("http://status.test/**", route => route.Request.Url.EndsWith("/status", StringComparison.Ordinal)
            ? route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html; charset=utf-8", Body = html })
            : route.FulfillAsync(new RouteFulfillOptions { ContentType = "image/png", BodyBytes = screenshot }));
        await page.GotoAsync("http://status.test/status");
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('.shot img'); return i && i.complete && i.naturalWidth === 1280; }");

        var pageWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        var box = await page.EvaluateAsync<double[]>("(() => { const r = document.querySelector('.shot img').getBoundingClientRect(); return [r.left, r.right, r.width]; })()");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("status-red-browser-flow-phone.png"), FullPage = true });

        Assert.True(pageWidth <= PhoneWidth, $"the page scrolls sideways: {pageWidth} px wide on a {PhoneWidth} px screen");
        Assert.True(box[0] >= 0 && box[1] <= PhoneWidth, $"the thumbnail spans {box[0]}–{box[1]} px on a {PhoneWidth} px screen");
        Assert.True(box[2] >= 200, $"the thumbnail is only {box[2]} px wide");
        Assert.Equal(StatusService.ScreenshotLink(id), await page.GetAttributeAsync(".shot", "href"));
    }
}
