using System.Diagnostics;
using System.Globalization;

namespace Byot.Bench;

/// <summary>A test printing 200 MB: peak growth of this process's RSS (the runner runs in it) while the run goes
/// on, and MB/s from start to result recorded against <c>docker run … &gt; file</c> of the same output.</summary>
internal static class LogVolumeBench
{
    private const string Line = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd";

    public static Task<BenchLine> RunAsync(string[] args, CancellationToken cancellationToken) => RunAsync("log-volume", s3: false, args, cancellationToken);

    /// <summary>The same with the log stored on the S3 backend (chunk objects).</summary>
    public static Task<BenchLine> RunS3Async(string[] args, CancellationToken cancellationToken) => RunAsync("log-volume-s3", s3: true, args, cancellationToken);

    private static async Task<BenchLine> RunAsync(string name, bool s3, string[] args, CancellationToken cancellationToken)
    {
        var megabytes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var bytes = megabytes * 1024L * 1024L;
        var script = string.Create(CultureInfo.InvariantCulture, $"yes {Line} | head -c {bytes}");
        await using var environment = await BenchEnvironment.CreateAsync(cancellationToken, s3);
        using var runner = await environment.StartRunnerAsync(
            new Dictionary<string, string?> { ["Byot:Runner:LogCapBytes"] = (bytes * 2).ToString(CultureInfo.InvariantCulture) },
            cancellationToken);
        var testId = await environment.UploadScriptAsync(script, [("timeout", "900")], cancellationToken);

        // Warm the artifact cache and the JIT with a tiny run so they do not count as growth.
        var warm = await environment.UploadScriptAsync("echo warm", cancellationToken: cancellationToken);
        await environment.WaitFinalAsync(await environment.RunNowAsync(warm, cancellationToken), TimeSpan.FromMilliseconds(20), cancellationToken);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var rss = WorkingSetPeak.Start(TimeSpan.FromMilliseconds(20));

        var clock = Stopwatch.StartNew();
        var runId = await environment.RunNowAsync(testId, cancellationToken);
        var run = await environment.WaitFinalAsync(runId, TimeSpan.FromMilliseconds(20), cancellationToken);
        var byotSeconds = clock.Elapsed.TotalSeconds;
        var growth = await rss.StopAsync();
        await runner.StopAsync(cancellationToken);
        if (run.Status != Shared.Domain.RunStatus.Passed || run.LogBytes < bytes)
        {
            throw new InvalidOperationException($"bench run {runId} ended {run.Status} with {run.LogBytes} log bytes: {run.Error}");
        }

        var file = Path.Combine(Path.GetTempPath(), $"byot-bench-log-{Guid.NewGuid():N}.txt");
        double baselineSeconds;
        try
        {
            baselineSeconds = await BenchEnvironment.TimeShellAsync(
                $"docker run --rm {BenchEnvironment.BusyboxImage} sh -c '{script}' > {file} 2>&1", cancellationToken);
        }
        finally
        {
            File.Delete(file);
        }

        var byotRate = megabytes / byotSeconds;
        var baselineRate = megabytes / baselineSeconds;
        return new BenchLine(name,
            [("rss_growth_mb", growth / (1024.0 * 1024.0)), ("byot_mb_per_s", byotRate), ("baseline_mb_per_s", baselineRate), ("rate_ratio", byotRate / baselineRate), ("stored_mb", run.LogBytes / (1024.0 * 1024.0))],
            "target:rss_growth_mb<=64");
    }
}
