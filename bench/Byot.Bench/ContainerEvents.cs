using System.Diagnostics;

namespace Byot.Bench;

/// <summary>Follows the engine's container creations live (<c>docker events</c>; it keeps only its last few hundred
/// events, so they cannot be asked for afterwards) and counts them per run and attempt of the given runners.</summary>
internal sealed class ContainerEvents : IDisposable
{
    private readonly Process process;
    private readonly HashSet<string> runners;
    private readonly Dictionary<string, int> counts = new(StringComparer.Ordinal);

    private ContainerEvents(Process process, IEnumerable<string> runners)
    {
        this.process = process;
        this.runners = new HashSet<string>(runners, StringComparer.Ordinal);
    }

    public static ContainerEvents Start(IEnumerable<string> runnerIds)
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
        var events = new ContainerEvents(process, runnerIds);
        process.OutputDataReceived += (_, e) => events.Add(e.Data);
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return events;
    }

    /// <summary>Containers created beyond one per run attempt.</summary>
    public int Duplicates()
    {
        lock (counts)
        {
            return counts.Values.Sum(c => c - 1);
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }

        process.Dispose();
    }

    private void Add(string? line)
    {
        var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts is not { Length: 3 } || !runners.Contains(parts[0]))
        {
            return;
        }

        lock (counts)
        {
            var key = parts[1] + "/" + parts[2];
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
    }
}
