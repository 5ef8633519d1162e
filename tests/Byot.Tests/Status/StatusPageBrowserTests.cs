using System.Diagnostics;
using System.Net;
using Byot.Functions.Http;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Status;

/// <summary>Headless Chromium (Debian's package) loads the rendered page at a phone's width; the screenshot is kept
/// under TestResults/ and checked: not blank, the red flow painted red, its name in the rendered document.</summary>
public sealed class StatusPageBrowserTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Chromium_renders_the_page_with_the_red_flow_visible()
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is missing; scripts/test.sh installs it");
        await using var client = new FunctionsClient(environment, new Dictionary<string, string?> { ["Byot:Status:Public"] = "true" });
        var api = new ByotApi(client);
        await StatusBoardFixture.SeedAsync(environment, api);
        var page = await client.InvokeAsync("GET", "/status", r => client.Function<StatusFunctions>().Page(r, CancellationToken.None));
        Assert.Equal(200, page.Status);

        var work = Directory.CreateTempSubdirectory("byot-status-page");
        var html = Path.Combine(work.FullName, "status.html");
        await File.WriteAllTextAsync(html, page.Text);
        var screenshot = Path.Combine(KeptArtifacts(), "status-page.png");
        File.Delete(screenshot);

        await ChromiumAsync(work.FullName, "--window-size=412,1000", $"--screenshot={screenshot}", new Uri(html).AbsoluteUri);
        var dom = await ChromiumAsync(work.FullName, "--dump-dom", new Uri(html).AbsoluteUri);

        Assert.True(File.Exists(screenshot), "no screenshot was written");
        var image = PngImage.Load(screenshot);
        Assert.Equal(412, image.Width);
        var colours = new HashSet<(byte, byte, byte)>();
        var red = 0;
        var nonWhite = 0;
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var p = image[x, y];
                colours.Add(p);
                nonWhite += p is (> 240, > 240, > 240) ? 0 : 1;
                red += Math.Abs(p.R - 0xd9) < 12 && Math.Abs(p.G - 0x30) < 12 && Math.Abs(p.B - 0x25) < 12 ? 1 : 0;
            }
        }

        Assert.True(colours.Count > 20, $"the screenshot looks blank ({colours.Count} colours)");
        Assert.True(nonWhite > image.Width * image.Height / 50, "the screenshot is almost all white");
        Assert.True(red > 200, $"too few red pixels ({red}): the red flow is not painted red");

        var redSection = dom[dom.IndexOf("data-state=\"red\"", StringComparison.Ordinal)..];
        redSection = redSection[..redSection.IndexOf("</section>", StringComparison.Ordinal)];
        Assert.Contains(WebUtility.HtmlEncode(StatusBoardFixture.RedName), redSection, StringComparison.Ordinal);
        work.Delete(recursive: true);
    }

    private static async Task<string> ChromiumAsync(string profileParent, params string[] args)
    {
        var profile = Directory.CreateTempSubdirectory("chromium-profile").FullName;
        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = profileParent,
        };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--hide-scrollbars", $"--user-data-dir={profile}",
        }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Directory.Delete(profile, recursive: true);
        return await output;
    }

    private static string KeptArtifacts()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Byot.sln")))
        {
            root = root.Parent;
        }

        var directory = Path.Combine(root?.FullName ?? Path.GetTempPath(), "TestResults", "screenshots");
        Directory.CreateDirectory(directory);
        return directory;
    }
}
