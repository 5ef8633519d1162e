using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Byot.Functions.Http;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Status;

/// <summary>Headless Chromium (Debian's package) loads the rendered page at a phone's width; the screenshot is kept
/// under TestResults/ and checked: not blank, the red flow painted red, its name in the rendered document.</summary>
public sealed class StatusPageBrowserTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    internal const string Chromium = "/usr/bin/chromium";

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

    [Fact]
    public async Task A_browser_that_times_out_is_killed_with_every_process_it_started()
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is missing; scripts/test.sh installs it");
        var work = Directory.CreateTempSubdirectory("byot-status-hang");

        // A server that accepts and never answers: the page never loads, so the screenshot never comes.
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var held = new List<TcpClient>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                var client = await server.AcceptTcpClientAsync();
                lock (held)
                {
                    held.Add(client);
                }
            }
        });
        try
        {
            var url = $"http://127.0.0.1:{((IPEndPoint)server.LocalEndpoint).Port}/";
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                ChromiumAsync(work.FullName, TimeSpan.FromSeconds(5), $"--screenshot={Path.Combine(work.FullName, "never.png")}", url));

            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (BrowserProcesses(work.FullName).Count > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.Empty(BrowserProcesses(work.FullName));
        }
        finally
        {
            foreach (var process in BrowserProcesses(work.FullName))
            {
                process.Kill();
            }

            server.Stop();
            lock (held)
            {
                held.ForEach(c => c.Dispose());
            }

            work.Delete(recursive: true);
        }
    }

    /// <summary>Every process whose command line names a profile under the folder (Chromium passes
    /// <c>--user-data-dir</c> to the browser, its zygotes, renderers and utilities).</summary>
    private static List<Process> BrowserProcesses(string folder)
    {
        var found = new List<Process>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(directory, "cmdline")).Contains(folder, StringComparison.Ordinal))
                {
                    found.Add(Process.GetProcessById(pid));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // The process ended while it was being looked at.
            }
        }

        return found;
    }

    internal static async Task<string> ChromiumAsync(string profileParent, params string[] args) => await ChromiumAsync(profileParent, null, args);

    private static async Task<string> ChromiumAsync(string profileParent, TimeSpan? within, params string[] args)
    {
        var profile = Directory.CreateDirectory(Path.Combine(profileParent, "chromium-profile-" + Guid.NewGuid().ToString("N")[..8])).FullName;
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
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            return await output;
        }
        finally
        {
            // Chromium forks renderer, GPU and zygote processes: on a timeout (or any failure) the whole tree goes,
            // or a headless browser outlives the test run.
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await Task.WhenAny(process.WaitForExitAsync(CancellationToken.None), Task.Delay(TimeSpan.FromSeconds(10)));
            }

            Directory.Delete(profile, recursive: true);
        }
    }

    internal static string KeptArtifacts()
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
