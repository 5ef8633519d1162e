using System.Globalization;

namespace Byot.Bench;

/// <summary>What gVisor costs: the same tests through one Runner at its default settings, each run once as a runc
/// test and once as a test that asks for gVisor, interleaved so both see the same load; container start to exit
/// (the run's durationMs) for a no-op, a CPU-bound, a system-call-bound and a fork-heavy test, and the memory one
/// idle container takes under each runtime.</summary>
internal static class IsolationBench
{
    private static readonly (string Name, string Script)[] Workloads =
    [
        ("noop", "exit 0"),
        ("cpu", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done"),
        ("syscall", "dd if=/dev/zero of=/tmp/f bs=512 count=20000 2>/dev/null && dd if=/tmp/f of=/dev/null bs=512 2>/dev/null"),
        ("fork", "for i in $(seq 1 200); do /bin/true; done"),
    ];

    public static async Task<BenchLine> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
        await using var environment = await BenchEnvironment.CreateAsync(cancellationToken);
        using var runner = await environment.StartRunnerAsync(new Dictionary<string, string?>(), cancellationToken);
        var figures = new List<(string, double)>();
        foreach (var (name, script) in Workloads)
        {
            var runc = await environment.UploadScriptAsync(script, cancellationToken: cancellationToken);
            var gvisor = await environment.UploadScriptAsync(script, [("isolation", "gvisor")], cancellationToken);
            var times = new Dictionary<Guid, List<double>> { [runc] = [], [gvisor] = [] };
            for (var i = -1; i < iterations; i++)
            {
                foreach (var testId in new[] { runc, gvisor })
                {
                    var run = await environment.WaitFinalAsync(await environment.RunNowAsync(testId, cancellationToken), TimeSpan.FromMilliseconds(20), cancellationToken);
                    if (run.Status != Shared.Domain.RunStatus.Passed)
                    {
                        throw new InvalidOperationException($"bench run {run.Id} ({name}) ended {run.Status}: {run.Error}");
                    }

                    if (i >= 0)
                    {
                        times[testId].Add(run.DurationMs!.Value / 1000.0);
                    }
                }
            }

            var runcMedian = BenchEnvironment.Median(times[runc]);
            var gvisorMedian = BenchEnvironment.Median(times[gvisor]);
            figures.Add(($"{name}_ratio", gvisorMedian / runcMedian));
            figures.Add(($"{name}_runc_s", runcMedian));
            figures.Add(($"{name}_gvisor_s", gvisorMedian));
        }

        await runner.StopAsync(cancellationToken);
        var runcMb = await IdleContainerMegabytesAsync("runc", cancellationToken);
        var gvisorMb = await IdleContainerMegabytesAsync("byot-gvisor", cancellationToken);
        figures.Add(("idle_mem_runc_mb", runcMb));
        figures.Add(("idle_mem_gvisor_mb", gvisorMb));
        figures.Add(("iterations", iterations));
        return new BenchLine("isolation", figures, "defaults=runner-defaults,isolation=per-test (report: ratios are gVisor/runc)");
    }

    /// <summary>The memory cgroup usage of a container that only sleeps: the runtime's own cost per container.</summary>
    private static async Task<double> IdleContainerMegabytesAsync(string runtime, CancellationToken cancellationToken)
    {
        var name = "byot-bench-mem-" + Guid.NewGuid().ToString("N")[..8];
        await BenchServices.ShellAsync("docker", ["run", "-d", "--name", name, "--label", "byot.managed=bench", "--runtime", runtime, "--network", "none", BenchEnvironment.BusyboxImage, "sleep", "30"], cancellationToken);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var usage = await BenchServices.ShellAsync("bash", ["-c",
                $"id=$(docker inspect -f '{{{{.Id}}}}' {name}); cat $(find /sys/fs/cgroup/memory -path \"*$id*\" -name memory.usage_in_bytes | head -1) 2>/dev/null || cat /sys/fs/cgroup/system.slice/docker-$id.scope/memory.current"], cancellationToken);
            return long.Parse(usage.Trim(), CultureInfo.InvariantCulture) / (1024.0 * 1024.0);
        }
        finally
        {
            await BenchServices.ShellAsync("docker", ["rm", "-f", name], cancellationToken);
        }
    }
}
