using System.Diagnostics;
using System.Globalization;

namespace Byot.Bench;

/// <summary>200 no-op runs through one runner with <c>MaxConcurrentRuns</c> = N, against
/// <c>xargs -P N docker run --rm</c> of the same image; the ratio is BYOT's runs per second over the baseline's.
/// Concurrency is the one setting changed (to match the baseline's N); everything else is at its default.</summary>
internal static class ThroughputBench
{
    public static async Task<BenchLine> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var parallel = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
        await using var environment = await BenchEnvironment.CreateAsync(cancellationToken);
        var testId = await environment.UploadScriptAsync("exit 0", cancellationToken: cancellationToken);

        // All runs are queued before the runner starts, so the clock measures the runner, not the enqueuing.
        var ids = new List<Guid>();
        for (var i = 0; i < runs; i++)
        {
            ids.Add(await environment.RunNowAsync(testId, cancellationToken));
        }

        var settings = new Dictionary<string, string?> { ["Byot:Runner:MaxConcurrentRuns"] = parallel.ToString(CultureInfo.InvariantCulture) };
        var clock = Stopwatch.StartNew();
        using (var runner = await environment.StartRunnerAsync(settings, cancellationToken))
        {
            foreach (var id in ids)
            {
                var run = await environment.WaitFinalAsync(id, TimeSpan.FromMilliseconds(20), cancellationToken);
                if (run.Status != Shared.Domain.RunStatus.Passed)
                {
                    throw new InvalidOperationException($"bench run {id} ended {run.Status}: {run.Error}");
                }
            }

            await runner.StopAsync(cancellationToken);
        }

        var byotSeconds = clock.Elapsed.TotalSeconds;
        var baselineSeconds = await BenchEnvironment.TimeShellAsync(
            $"seq {runs} | xargs -P {parallel} -I{{}} docker run --rm {BenchEnvironment.BusyboxImage} true", cancellationToken);
        var byotRate = runs / byotSeconds;
        var baselineRate = runs / baselineSeconds;
        return new BenchLine("throughput",
            [("ratio", byotRate / baselineRate), ("byot_runs_per_s", byotRate), ("baseline_runs_per_s", baselineRate), ("byot_s", byotSeconds), ("baseline_s", baselineSeconds), ("runs", runs), .. BenchEnvironment.RunnerFigures(settings)],
            "target>=1.2");
    }
}
