using System.Diagnostics;

namespace Byot.Bench;

/// <summary>Samples this process's working set while a measured step runs (the runner and the parsers run in it):
/// <see cref="StopAsync"/> gives the peak's growth over the working set at the start.</summary>
internal sealed class WorkingSetPeak : IDisposable
{
    private readonly Process self = Process.GetCurrentProcess();
    private readonly CancellationTokenSource sampling = new();
    private readonly long before;
    private readonly Task sampler;
    private long peak;

    private WorkingSetPeak(TimeSpan interval)
    {
        self.Refresh();
        before = self.WorkingSet64;
        peak = before;
        sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                Sample();
                await Task.Delay(interval, CancellationToken.None);
            }
        }, CancellationToken.None);
    }

    public static WorkingSetPeak Start(TimeSpan interval) => new(interval);

    /// <summary>Stops sampling, takes one last sample and returns the growth in bytes.</summary>
    public async Task<long> StopAsync()
    {
        await sampling.CancelAsync();
        await sampler;
        Sample();
        return peak - before;
    }

    public void Dispose()
    {
        sampling.Dispose();
        self.Dispose();
    }

    private void Sample()
    {
        self.Refresh();
        peak = Math.Max(peak, self.WorkingSet64);
    }
}
