namespace Byot.Bench;

/// <summary>The one list of benchmarks: add a name and the method that runs it. Each returns its BENCH line.</summary>
internal static class BenchRegistry
{
    public static readonly IReadOnlyDictionary<string, Func<string[], CancellationToken, Task<BenchLine>>> All =
        new Dictionary<string, Func<string[], CancellationToken, Task<BenchLine>>>(StringComparer.Ordinal)
        {
            ["run-overhead"] = RunOverheadBench.RunAsync,
            ["throughput"] = ThroughputBench.RunAsync,
            ["runner-throughput"] = RunnerThroughputBench.RunAsync,
            ["log-volume"] = LogVolumeBench.RunAsync,
            ["schedule-lateness"] = ScheduleLatenessBench.RunAsync,
            ["fan-out"] = FanOutBench.RunAsync,
            ["upload"] = UploadBench.RunAsync,
            ["upload-direct"] = UploadDirectBench.RunAsync,
            ["soak"] = SoakBench.RunAsync,
            ["isolation"] = IsolationBench.RunAsync,
            ["follow"] = FollowBench.RunAsync,
            ["run-now-latency"] = RunNowLatencyBench.RunAsync,
            ["bundle-start"] = BundleStartBench.RunAsync,
            ["dashboard"] = DashboardBench.RunAsync,
            ["hostile-archives"] = HostileArchivesBench.RunAsync,
            ["playwright"] = PlaywrightBench.RunAsync,
            ["upload-s3"] = UploadBench.RunS3Async,
            ["log-volume-s3"] = LogVolumeBench.RunS3Async,
            ["cases"] = CasesBench.RunAsync,
        };
}
