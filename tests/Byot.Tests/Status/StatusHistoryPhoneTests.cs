using System.Text.RegularExpressions;
using Byot.Functions.Http;
using Byot.Shared.Domain;
using Byot.Tests.Alerts;
using Byot.Tests.Incidents;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Status;

/// <summary>Headless Chromium at a 375 px phone's width: the board with a flow's 30-day history and the incident page
/// fit without scrolling sideways, every day of the row is drawn, and the incident's day is painted red.</summary>
public sealed partial class StatusHistoryPhoneTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private const int Phone = 375;
    private AlertHarness h = null!;

    public async Task InitializeAsync() =>
        h = await AlertHarness.StartAsync(environment, extra: new Dictionary<string, string?> { ["Byot:Status:Public"] = "true" });

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task The_history_row_and_the_incident_page_read_on_a_375_px_phone()
    {
        Assert.True(File.Exists(StatusPageBrowserTests.Chromium), "Debian's chromium is missing; scripts/test.sh installs it");
        var test = await h.CreateTestAsync("Checkout with a rather long flow name that has to wrap on a phone", "P0", threshold: 1);
        await h.RecordAsync(test, RunStatus.Failed);
        var id = await h.OpenIncidentAsync(test);
        h.Time.Advance(TimeSpan.FromMinutes(20));
        await h.RecordAsync(test, RunStatus.Passed);

        var board = await h.Client.InvokeAsync("GET", "/status", r => h.Client.Function<StatusFunctions>().Page(r, CancellationToken.None));
        var incident = await h.Client.InvokeAsync("GET", $"/status/incidents/{id}", r => h.Client.Function<StatusFunctions>().Incident(r, id, CancellationToken.None));
        Assert.True(board.Status == 200 && incident.Status == 200, board.ToString() + incident);

        var work = Directory.CreateTempSubdirectory("byot-status-history");
        try
        {
            var boardLayout = await LayoutAsync(work.FullName, "board", board.Text, "status-history-375.png");
            Assert.True(boardLayout.ScrollWidth <= Phone, $"the board scrolls sideways at {Phone} px: {boardLayout.ScrollWidth} px wide");
            Assert.Equal(30, boardLayout.Days);
            Assert.True(boardLayout.DayWidth >= 5, $"a day of the row is {boardLayout.DayWidth} px wide at {Phone} px");
            var shot = PngImage.Load(Path.Combine(StatusPageBrowserTests.KeptArtifacts(), "status-history-375.png"));
            Assert.Equal(Phone, shot.Width);
            Assert.True(RedPixels(shot) > 50, "the incident's day is not painted red");

            var pageLayout = await LayoutAsync(work.FullName, "incident", incident.Text, "status-incident-375.png");
            Assert.True(pageLayout.ScrollWidth <= Phone, $"the incident page scrolls sideways at {Phone} px: {pageLayout.ScrollWidth} px wide");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Loads the page at the phone's width, keeps a screenshot, and reads its layout through a probe added to
    /// the test's copy only (the page itself runs no script).</summary>
    private static async Task<(int ScrollWidth, int Days, double DayWidth)> LayoutAsync(string folder, string name, string html, string screenshot)
    {
        var file = Path.Combine(folder, name + ".html");
        await File.WriteAllTextAsync(file, html);
        var kept = Path.Combine(StatusPageBrowserTests.KeptArtifacts(), screenshot);
        File.Delete(kept);
        await StatusPageBrowserTests.ChromiumAsync(folder, $"--window-size={Phone},1200", $"--screenshot={kept}", new Uri(file).AbsoluteUri);

        var probe = Path.Combine(folder, name + "-probe.html");
        await File.WriteAllTextAsync(probe, html.Replace("</body>", """
            <script>
              // --dump-dom lays the page out in a window of at least 500 px, so the page is held to the phone's width
              // here; whatever reaches past its right edge would make a phone scroll sideways.
              document.documentElement.style.width = '375px';
              const right = Math.ceil(Math.max(...[...document.querySelectorAll('body *')].map((e) => e.getBoundingClientRect().right)));
              const day = document.querySelector('.days > *');
              document.body.setAttribute('data-layout', [Math.max(right, document.body.scrollWidth), document.querySelectorAll('.days > *').length,
                day ? day.getBoundingClientRect().width : 0].join(';'));
            </script></body>
            """, StringComparison.Ordinal));
        var dom = await StatusPageBrowserTests.ChromiumAsync(folder, $"--window-size={Phone},1200", "--dump-dom", new Uri(probe).AbsoluteUri);
        var layout = Layout().Match(dom);
        Assert.True(layout.Success, "the layout probe did not run");
        return (int.Parse(layout.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(layout.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(layout.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static int RedPixels(PngImage image)
    {
        var red = 0;
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var p = image[x, y];
                red += Math.Abs(p.R - 0xd9) < 12 && Math.Abs(p.G - 0x30) < 12 && Math.Abs(p.B - 0x25) < 12 ? 1 : 0;
            }
        }

        return red;
    }

    [GeneratedRegex("data-layout=\"([0-9]+);([0-9]+);([0-9.]+)\"")]
    private static partial Regex Layout();
}
