using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Byot.Bench;

/// <summary>A 20,000-file bundle (a package with its own node_modules, in shape): queued to container started, at
/// defaults, against <c>docker run -d</c> (returns once started) of an image that already holds the same files at
/// /app, built in the same run. The first BYOT run bakes the bundle into an image and is reported on its own.</summary>
internal static class BundleStartBench
{
    public static async Task<BenchLine> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var files = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        await using var environment = await BenchEnvironment.CreateAsync(cancellationToken);
        var work = Directory.CreateTempSubdirectory("byot-bench-bundle-");
        var image = "byot-bench-bundle:" + Path.GetFileName(work.FullName).ToLowerInvariant().Replace('_', '-');
        try
        {
            var bundle = Bundle(files, Path.Combine(work.FullName, "app"));
            await File.WriteAllTextAsync(Path.Combine(work.FullName, "Dockerfile"), $"FROM {BenchEnvironment.BusyboxImage}\nCOPY app/ /app/\n", cancellationToken);
            await BenchServices.ShellAsync("docker", ["build", "-q", "-t", image, work.FullName], cancellationToken);

            using var runner = await environment.StartRunnerAsync(new Dictionary<string, string?>(), cancellationToken);
            var testId = await environment.UploadFileAsync(bundle, "bundle.tar.gz", [("command", "/app/run")], cancellationToken);

            var byot = new List<double>();
            var baseline = new List<double>();
            double first = 0;
            for (var i = -1; i < iterations; i++)
            {
                var runId = await environment.RunNowAsync(testId, cancellationToken);
                var queued = DateTimeOffset.UtcNow;
                var started = (await environment.StartedAtAsync(runId, cancellationToken) - queued).TotalSeconds;
                var docker = await BenchEnvironment.TimeShellAsync($"docker run -d --rm {image} /app/run", cancellationToken);
                if (i < 0)
                {
                    first = started;
                }
                else
                {
                    byot.Add(started);
                    baseline.Add(docker);
                }
            }

            await runner.StopAsync(cancellationToken);
            var byotMedian = BenchEnvironment.Median(byot);
            var baselineMedian = BenchEnvironment.Median(baseline);
            return new BenchLine("bundle-start",
            [
                ("ratio", byotMedian / baselineMedian),
                ("byot_median_s", byotMedian),
                ("baseline_median_s", baselineMedian),
                ("first_run_s", first),
                ("files", files),
                ("iterations", iterations),
                .. BenchEnvironment.RunnerFigures(),
            ], "target<=1.2");
        }
        finally
        {
            // The bench runner's id is never used again, so nothing would ever reuse or prune what it baked.
            var baked = await BenchServices.ShellAsync("docker", ["images", "-q", "--filter", $"label=byot.runner={environment.RunnerId}"], CancellationToken.None);
            await BenchServices.ShellAsync("docker", ["rmi", "-f", image, .. baked.Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct()], CancellationToken.None);
            work.Delete(recursive: true);
        }
    }

    /// <summary>The bundle as .tar.gz, and the same files unpacked under <paramref name="directory"/> for the baseline.</summary>
    private static byte[] Bundle(int files, string directory)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            void Add(string name, string content, UnixFileMode mode)
            {
                var bytes = Encoding.UTF8.GetBytes(content);
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = mode, DataStream = new MemoryStream(bytes) });
                var path = Path.Combine(directory, name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, bytes);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, mode);
                }
            }

            const UnixFileMode plain = (UnixFileMode)0x1A4;
            Add("run", "#!/bin/sh\nexit 0\n", (UnixFileMode)0x1ED);
            for (var i = 1; i < files; i++)
            {
                Add(string.Create(CultureInfo.InvariantCulture, $"node_modules/pkg{i / 100}/file{i}.js"), string.Create(CultureInfo.InvariantCulture, $"module.exports = {i};\n"), plain);
            }
        }

        return buffer.ToArray();
    }
}
