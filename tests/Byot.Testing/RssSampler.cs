using System.Diagnostics;

namespace Byot.Testing;

/// <summary>Samples this process's resident set every few milliseconds and keeps the peak.</summary>
public sealed class RssSampler : IAsyncDisposable
{
    // Never disposed: a cancelled source holds no timer or wait handle, and disposing it would race the loop.
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public RssSampler()
    {
        Baseline = Current();
        Peak = Baseline;
        loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Peak = Math.Max(Peak, Current());
                await Task.Delay(10, CancellationToken.None);
            }
        });
    }

    public long Baseline { get; }

    public long Peak { get; private set; }

    public double GrowthMb => (Peak - Baseline) / (1024.0 * 1024.0);

    public async ValueTask DisposeAsync()
    {
        if (stop.IsCancellationRequested)
        {
            return;
        }

        await stop.CancelAsync();
        await loop;
        Peak = Math.Max(Peak, Current());
    }

    private static long Current()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
