using System.Diagnostics;

namespace Byot.Tests.Reliability;

/// <summary>Counts container creations per <c>byot.run</c> label as the engine reports them live (<c>docker events</c>;
/// the engine keeps only its last few hundred events, so they are followed from the start, not asked for later).</summary>
public sealed class ContainerCreations : IAsyncDisposable
{
    private readonly Process process;
    private readonly Dictionary<string, int> counts = new(StringComparer.Ordinal);
    private int total;

    private ContainerCreations(Process process)
    {
        this.process = process;
    }

    public int Total
    {
        get
        {
            lock (counts)
            {
                return total;
            }
        }
    }

    public static async Task<ContainerCreations> StartAsync()
    {
        var process = new Process
        {
            StartInfo = new ProcessStartInfo("docker",
                ["events", "--filter", "type=container", "--filter", "event=create", "--filter", "label=byot.managed=true",
                 "--format", "{{index .Actor.Attributes \"byot.run\"}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        var creations = new ContainerCreations(process);
        process.OutputDataReceived += (_, e) => creations.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Task.Delay(500); // the subscription is live once the client has connected
        return creations;
    }

    public int For(Guid runId)
    {
        lock (counts)
        {
            return counts.GetValueOrDefault(runId.ToString("D"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Add(string? run)
    {
        if (string.IsNullOrWhiteSpace(run))
        {
            return;
        }

        lock (counts)
        {
            counts[run.Trim()] = counts.GetValueOrDefault(run.Trim()) + 1;
            total++;
        }
    }
}
