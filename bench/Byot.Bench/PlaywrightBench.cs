using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using Microsoft.Extensions.Configuration;

namespace Byot.Bench;

/// <summary>The sample Playwright project's passing spec (the shop started by its webServer, Chromium), run by BYOT on
/// byot-local/playwright:1 at the Runner's defaults (run-now to result recorded: cold is the first run of the version,
/// which bakes the bundle; warm the median of the rest), against <c>npx playwright test</c> of the same files with the
/// same config wrapper and the same Chromium directly on the host, interleaved in the same run.</summary>
internal static class PlaywrightBench
{
    private const string Image = "byot-local/playwright:1";
    private static readonly string[] ProjectFiles = ["package.json", "playwright.config.ts", "server.js", "tests/cart.spec.ts"];

    public static async Task<BenchLine> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var project = Path.Combine(BenchServices.Root, "tests", "Byot.Tests", "Runtimes", "PlaywrightProject");
        var playwright = Path.Combine(Environment.GetEnvironmentVariable("BYOT_IMAGE_CACHE") ?? "/var/tmp/byot-images", "playwright-1.65.1", "lib", "node_modules");
        if (!Directory.Exists(Path.Combine(playwright, "@playwright", "test")))
        {
            throw new InvalidOperationException($"{playwright} has no @playwright/test: scripts/build-images.sh installs it there.");
        }

        await using var environment = await BenchEnvironment.CreateAsync(cancellationToken);
        var work = Directory.CreateTempSubdirectory("byot-bench-playwright-");
        try
        {
            var host = HostProject(project, playwright, work.FullName);
            using var runner = await environment.StartRunnerAsync(RuntimeSettings(), cancellationToken);
            var testId = await environment.UploadFileAsync(Bundle(project), "shop.tar.gz", "playwright", [("timeout", "300")], cancellationToken);
            var wrapper = Path.Combine(BenchServices.Root, "Byot.Runner", "Playwright", "byot.playwright.config.mjs");
            var direct = $"cd '{host}' && BYOT_ARTIFACTS_DIR='{work.FullName}/artifacts' BYOT_PLAYWRIGHT_CHROMIUM=/usr/lib/chromium/chromium npx --no-install playwright test --config '{wrapper}' >/dev/null";

            var cold = (await RunOnceAsync(environment, testId, cancellationToken)).Total;
            var byot = new List<PlaywrightPhases>();
            var baseline = new List<double>();
            for (var i = -1; i < iterations; i++)
            {
                var warm = await RunOnceAsync(environment, testId, cancellationToken);
                var plain = await BenchEnvironment.TimeShellAsync(direct, cancellationToken);
                if (i >= 0)
                {
                    byot.Add(warm);
                    baseline.Add(plain);
                }
            }

            await runner.StopAsync(cancellationToken);
            var size = double.Parse((await BenchServices.ShellAsync("docker", ["image", "inspect", "-f", "{{.Size}}", Image], cancellationToken)).Trim(), CultureInfo.InvariantCulture);
            var warmMedian = BenchEnvironment.Median(byot.Select(p => p.Total));
            var directMedian = BenchEnvironment.Median(baseline);
            return new BenchLine("playwright",
            [
                ("ratio", warmMedian / directMedian),
                ("warm_median_s", warmMedian),
                ("cold_s", cold),
                ("direct_median_s", directMedian),
                // Where a warm run's time goes: run-now to the container's start (queue pickup, claim, preflight,
                // log blob, container create), the container's own life (Playwright), its exit to the result
                // recorded (artifacts kept, log closed, result written).
                ("warm_to_start_median_s", BenchEnvironment.Median(byot.Select(p => p.ToStart))),
                ("warm_container_median_s", BenchEnvironment.Median(byot.Select(p => p.Container))),
                ("warm_after_exit_median_s", BenchEnvironment.Median(byot.Select(p => p.AfterExit))),
                ("image_mb", size / 1e6),
                ("iterations", iterations),
                .. BenchEnvironment.RunnerFigures(),
            ],
            "target<=1.3");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<PlaywrightPhases> RunOnceAsync(BenchEnvironment environment, Guid testId, CancellationToken cancellationToken)
    {
        var asked = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var runId = await environment.RunNowAsync(testId, cancellationToken);
        var run = await environment.WaitFinalAsync(runId, TimeSpan.FromMilliseconds(20), cancellationToken);
        var total = clock.Elapsed.TotalSeconds;
        if (run.Status != Shared.Domain.RunStatus.Passed || run is not { StartedAt: { } started, FinishedAt: { } finished, DurationMs: { } duration })
        {
            throw new InvalidOperationException($"bench run {runId} ended {run.Status}: {run.Error}");
        }

        var container = duration / 1000.0;
        return new PlaywrightPhases(total, (started - asked).TotalSeconds, container, (finished - started).TotalSeconds - container);
    }

    /// <summary>The playwright runtime exactly as the Runner ships it, on its local image.</summary>
    private static Dictionary<string, string?> RuntimeSettings()
    {
        const string section = "Byot:Runner:Runtimes:playwright";
        var shipped = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(BenchServices.Root, "Byot.Runner", "appsettings.json"))
            .AddJsonFile(Path.Combine(BenchServices.Root, "Byot.Runner", "appsettings.Local.json"))
            .Build();
        return shipped.GetSection(section).AsEnumerable().Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value);
    }

    private static byte[] Bundle(string project)
    {
        using var bytes = new MemoryStream();
        using (var gzip = new GZipStream(bytes, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var name in ProjectFiles)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    Mode = (UnixFileMode)0x1A4,
                    DataStream = new MemoryStream(File.ReadAllBytes(Path.Combine(project, name))),
                });
            }
        }

        return bytes.ToArray();
    }

    /// <summary>The same files on the host, with the image's @playwright/test linked in as node_modules.</summary>
    private static string HostProject(string project, string playwright, string work)
    {
        var root = Path.Combine(work, "project");
        foreach (var name in ProjectFiles)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, name))!);
            File.Copy(Path.Combine(project, name), Path.Combine(root, name));
        }

        Directory.CreateDirectory(Path.Combine(root, "node_modules", ".bin"));
        Directory.CreateSymbolicLink(Path.Combine(root, "node_modules", "@playwright"), Path.Combine(playwright, "@playwright"));
        File.CreateSymbolicLink(Path.Combine(root, "node_modules", ".bin", "playwright"), "../@playwright/test/cli.js");
        return root;
    }
}
