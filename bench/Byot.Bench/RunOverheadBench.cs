using System.Diagnostics;

namespace Byot.Bench;

/// <summary>Queue message visible to result recorded for a no-op test, against <c>docker run --rm</c> of the same
/// image in the same process, interleaved so both see the same machine load. The runner runs at the defaults a user
/// gets; a second argument (idle poll ms) runs a tuned variant, which the line then states.</summary>
internal static class RunOverheadBench
{
    public static async Task<BenchLine> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var iterations = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20;
        var settings = new Dictionary<string, string?>();
        if (args.Length > 1)
        {
            settings["Byot:Runner:MaxIdlePollMilliseconds"] = args[1];
        }

        await using var environment = await BenchEnvironment.CreateAsync(cancellationToken);
        using var runner = await environment.StartRunnerAsync(settings, cancellationToken);
        var testId = await environment.UploadScriptAsync("exit 0", cancellationToken: cancellationToken);
        var poll = TimeSpan.FromMilliseconds(5);

        var byot = new List<double>();
        var baseline = new List<double>();
        for (var i = -2; i < iterations; i++)
        {
            // The run row and message are created first; the clock starts when the message is visible.
            var clock = Stopwatch.StartNew();
            var runId = await environment.RunNowAsync(testId, cancellationToken);
            var enqueued = clock.Elapsed;
            var run = await environment.WaitFinalAsync(runId, poll, cancellationToken);
            var elapsed = (clock.Elapsed - enqueued).TotalSeconds;
            if (run.Status != Shared.Domain.RunStatus.Passed)
            {
                throw new InvalidOperationException($"bench run {runId} ended {run.Status}: {run.Error}");
            }

            var docker = await BenchEnvironment.TimeShellAsync($"docker run --rm {BenchEnvironment.BusyboxImage} true", cancellationToken);
            if (i >= 0)
            {
                byot.Add(elapsed);
                baseline.Add(docker);
            }

            // Let the runner's idle backoff reach its longest wait, as it would between scheduled runs.
            await Task.Delay(2_000, cancellationToken);
        }

        await runner.StopAsync(cancellationToken);
        var byotMedian = BenchEnvironment.Median(byot);
        var baselineMedian = BenchEnvironment.Median(baseline);
        return new BenchLine(args.Length > 1 ? "run-overhead-tuned" : "run-overhead",
            [("ratio", byotMedian / baselineMedian), ("byot_median_s", byotMedian), ("baseline_median_s", baselineMedian), ("iterations", iterations), .. BenchEnvironment.RunnerFigures(settings)],
            "target<=0.8");
    }
}
