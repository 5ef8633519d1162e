namespace Byot.Runner.Containers;

/// <summary>Watches a running test's volumes and reports the first one written past its limit. The walk repeats at
/// most every second, and never more often than ten times the last walk took, so a bundle of many files costs the
/// Runner at most about a tenth of a core.</summary>
internal static class VolumeWatch
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    public static async Task<VolumeOverrun> WatchAsync(
        IReadOnlyList<(string HostPath, VolumeLimit Limit)> volumes, TimeProvider time, CancellationToken cancellationToken)
    {
        while (true)
        {
            var began = time.GetTimestamp();
            foreach (var (hostPath, limit) in volumes)
            {
                var used = VolumeUsage.Measure(hostPath, limit.Bytes);
                if (used is null || used > limit.Bytes)
                {
                    return new VolumeOverrun(limit, Unreadable: used is null);
                }
            }

            var took = time.GetElapsedTime(began);
            var wait = took * 10 > MinInterval ? took * 10 : MinInterval;
            await Task.Delay(wait, time, cancellationToken);
        }
    }
}
