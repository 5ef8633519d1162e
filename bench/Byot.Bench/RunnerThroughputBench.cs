using System.Diagnostics;
using System.Globalization;

namespace Byot.Bench;

/// <summary>Runs per second one Runner host sustains at its defaults (<c>MaxConcurrentRuns</c> 2): N no-op tests queued
/// first, then run through a real Runner on the real Docker engine (hardened containers really created, started,
/// waited for and removed, results recorded), against <c>xargs -P 2 docker run --rm</c> of the same image in the same
/// run. The per-run overhead is what one of the Runner's slots spends per run beyond the plain loop's. Figures for
/// docs/scale.md; the machine's load is printed with them.</summary>
internal static class RunnerThroughputBench
{
    public static async Task<BenchLine> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 60;
        var parallel = new Runner.Options.RunnerOptions().MaxConcurrentRuns;
        await using var environment = await BenchEnvironment.CreateAsync(cancellationToken);
        var testId = await environment.UploadScriptAsync("exit 0", cancellationToken: cancellationToken);

        var ids = new List<Guid>();
        for (var i = 0; i < runs; i++)
        {
            ids.Add(await environment.RunNowAsync(testId, cancellationToken));
        }

        var clock = Stopwatch.StartNew();
        using (var runner = await environment.StartRunnerAsync(new Dictionary<string, string?>(), cancellationToken))
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

        var byot = clock.Elapsed.TotalSeconds;
        var baseline = await BenchEnvironment.TimeShellAsync(
            $"seq {runs} | xargs -P {parallel} -I{{}} docker run --rm {BenchEnvironment.BusyboxImage} true", cancellationToken);
        var load = double.Parse((await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Split(' ')[0], CultureInfo.InvariantCulture);
        return new BenchLine("runner-throughput",
        [
            ("runs_per_s", runs / byot),
            ("baseline_runs_per_s", runs / baseline),
            ("slot_s_per_run", byot * parallel / runs),
            ("baseline_slot_s_per_run", baseline * parallel / runs),
            ("overhead_s_per_run", (byot - baseline) * parallel / runs),
            ("runs", runs),
            ("load_1m", load),
            .. BenchEnvironment.RunnerFigures(),
        ], "figure:docs/scale.md");
    }
}
