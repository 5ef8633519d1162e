using System.Diagnostics;

namespace Byot.Testing;

/// <summary>Counts container creations per run and attempt (their <c>byot.*</c> labels) as the engine reports them live
/// (<c>docker events</c>; the engine keeps only its last few hundred events, so they are followed from the start, not
/// asked for later). Used by the reliability tests and the soak benchmark.</summary>
public sealed class ContainerCreations : IAsyncDisposable
{
    private readonly Process process;
    private readonly Dictionary<string, int> counts = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Runner, string Run, string Attempt), int> attempts = [];
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
                 "--format", "{{index .Actor.Attributes \"byot.runner\"}} {{index .Actor.Attributes \"byot.run\"}} {{index .Actor.Attributes \"byot.attempt\"}}"])
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

    /// <summary>Containers the given runners created beyond one per run attempt.</summary>
    public int Duplicates(IEnumerable<string> runnerIds)
    {
        var runners = new HashSet<string>(runnerIds, StringComparer.Ordinal);
        lock (counts)
        {
            return attempts.Where(a => runners.Contains(a.Key.Runner)).Sum(a => a.Value - 1);
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

    private void Add(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        // A container without all three labels (not a run's) prints "<no value>" in their place.
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        lock (counts)
        {
            total++;
            if (parts.Length != 3)
            {
                return;
            }

            counts[parts[1]] = counts.GetValueOrDefault(parts[1]) + 1;
            attempts[(parts[0], parts[1], parts[2])] = attempts.GetValueOrDefault((parts[0], parts[1], parts[2])) + 1;
        }
    }
}
