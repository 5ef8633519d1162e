using System.Text.RegularExpressions;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Runner;

/// <summary>What Chromium needs, made explicit and bounded for every run: a /dev/shm of <c>Byot:Runner:ShmMb</c>,
/// caches in the run's tmpfs, and BYOT's support files (the Playwright launcher and config wrapper) read-only at one path whether
/// or not the app is baked into an image.</summary>
public sealed partial class BrowserSupportHardeningTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    private const string Probe = """
        cat /proc/mounts
        echo "xdg: $XDG_CACHE_HOME $XDG_CONFIG_HOME"
        dd if=/dev/zero of=/dev/shm/fill bs=1048576 count=64 2>/dev/null && echo "shm: UNBOUNDED" || echo "shm: full at $(wc -c < /dev/shm/fill) bytes"
        head -c 60 /.byot-run/.byot/byot.playwright.config.mjs; echo
        echo x >> /.byot-run/.byot/byot.playwright.config.mjs && echo "support: WRITABLE" || echo "support: read-only"
        head -c 40 /.byot-run/.byot/byot.playwright.cli.cjs; echo
        echo x >> /.byot-run/.byot/byot.playwright.cli.cjs && echo "launcher: WRITABLE" || echo "launcher: read-only"
        """;

    [Theory]
    [InlineData("0")]
    [InlineData("32")]
    public async Task Dev_shm_is_sized_caches_live_in_tmp_and_support_files_are_read_only(string maxAppImages)
    {
        await using var kit = await RunnerKit.StartAsync(environment, new Dictionary<string, string?>
        {
            ["Byot:Runner:ShmMb"] = "16",
            ["Byot:Runner:MaxAppImages"] = maxAppImages,
        });
        // A bundle: baked into an image when MaxAppImages > 0, unpacked into /app's volume when 0.
        var bundle = Bundles.TarGz(Bundles.File("run", "#!/bin/sh\n" + Probe + "\n", Bundles.Executable));
        var testId = await kit.UploadAsync(bundle, "go", "probe.tar.gz");
        var runId = await kit.Api.RunNowOkAsync(testId);
        var run = await kit.Api.WaitForFinalAsync(runId);
        var log = await kit.LogAsync(runId);

        Assert.True(run.GetProperty("status").GetString() == "passed", $"{run}\n{log}");
        Assert.Matches(ShmMount(), log);
        var full = Regex.Match(log, @"\[stdout\] shm: full at (\d+) bytes");
        Assert.True(full.Success, log);
        Assert.InRange(long.Parse(full.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 15L << 20, 16L << 20);
        Assert.Contains("[stdout] xdg: /tmp/.cache /tmp/.config", log, StringComparison.Ordinal);
        Assert.Contains("[stdout] // BYOT's Playwright config wrapper", log, StringComparison.Ordinal);
        Assert.Contains("[stdout] support: read-only", log, StringComparison.Ordinal);
        Assert.Contains("[stdout] // BYOT's Playwright launcher", log, StringComparison.Ordinal);
        Assert.Contains("[stdout] launcher: read-only", log, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\[stdout\] shm /dev/shm tmpfs [^ ]*size=16384k")]
    private static partial Regex ShmMount();
}
