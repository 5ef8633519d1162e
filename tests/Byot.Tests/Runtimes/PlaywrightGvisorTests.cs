using System.Formats.Tar;
using System.Text;
using Byot.Functions.Http;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Runtimes;

/// <summary>A real Playwright project under gVisor (runsc registered as <c>byot-gvisor</c> by scripts/services.sh):
/// the sample shop's passing spec, plus a spec that prints the kernel it sees and one that has Chromium write a
/// screenshot, on the local Playwright image through the runtime's default command, at the defaults a user gets with
/// gVisor as the Runner's floor (its pids backstop included).</summary>
[Collection(PlaywrightCollection.Name)]
public sealed class PlaywrightGvisorTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    private static readonly string HostKernel = File.ReadAllText("/proc/version").Trim();
    private static readonly string[] SampleFiles = ["package.json", "playwright.config.ts", "server.js", "tests/cart.spec.ts"];
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private const string KernelSpec = """
        import { test, expect } from '@playwright/test';
        import fs from 'node:fs';

        test('reports its kernel', () => {
          console.log('kernel: ' + fs.readFileSync('/proc/version', 'utf8').trim());
        });

        test('screenshots the shop', async ({ page }) => {
          await page.goto('/');
          await expect(page.getByRole('button', { name: 'Add to cart' })).toBeVisible();
          await page.screenshot({ path: test.info().outputPath('shop.png') });
        });
        """;

    [Fact]
    public async Task The_sample_project_passes_under_gvisor_with_chromium_writing_a_screenshot()
    {
        var settings = PlaywrightSettings.AtDefaults();
        settings["Byot:Runner:Isolation"] = "gvisor";
        settings["Byot:Runner:GvisorPidsLimit"] = "4096";
        await using var kit = await RunnerKit.StartAsync(environment, settings);
        var testId = await kit.UploadAsync(Bundle(), "playwright", "shop-gvisor.tar.gz", ("timeout", "300"));
        var runId = await kit.Api.RunNowOkAsync(testId);

        var run = await kit.Api.WaitForFinalAsync(runId, TimeSpan.FromMinutes(5));
        var log = await kit.LogAsync(runId);
        Assert.True(run.GetProperty("status").GetString() == "passed", $"{run}\n{log}");
        Assert.Equal("gvisor", run.GetProperty("isolation").GetString());
        Assert.Matches(@"\[stdout\]\s+✓\s+\d+ tests/cart\.spec\.ts:\d+:\d+ › adds an item to the cart", log);
        Assert.Contains("3 passed", log, StringComparison.Ordinal);
        var kernel = log.Split('\n').Single(l => l.Contains("[stdout] kernel: ", StringComparison.Ordinal));
        Assert.Contains("Linux version", kernel, StringComparison.Ordinal);
        Assert.DoesNotContain(HostKernel, kernel, StringComparison.Ordinal);

        var id = runId.ToString("D");
        const string path = "test-results/kernel-screenshots-the-shop/shop.png";
        var shot = await kit.Client.InvokeAsync("GET", $"/runs/{id}/artifacts/{path}", r => kit.Client.Function<RunArtifactsFunctions>().Get(r, id, path, CancellationToken.None));
        Assert.True(shot.Status == 200, $"{shot.Status} {Encoding.UTF8.GetString(shot.Body.Take(300).ToArray())}\n{log}");
        Assert.Equal("image/png", shot.ContentType);
        Assert.Equal(PngSignature, shot.Body.Take(8).ToArray());
    }

    /// <summary>The sample project without its failing and flaky specs, with the kernel spec.</summary>
    private static byte[] Bundle()
    {
        var root = PlaywrightProjectBundle.Directory;
        TarEntry[] files = [.. SampleFiles.Select(name => (TarEntry)Bundles.File(name, File.ReadAllText(Path.Combine(root, name))))];
        return Bundles.TarGz([.. files, Bundles.File("tests/kernel.spec.ts", KernelSpec)]);
    }
}
