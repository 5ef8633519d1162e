using System.Diagnostics;
using System.Globalization;

namespace Byot.Bench;

/// <summary>A child process of the soak (a Runner, Azurite) whose output goes to a file, killed by its own id only.</summary>
internal sealed class SoakProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter output;

    private SoakProcess(Process process, StreamWriter output)
    {
        this.process = process;
        this.output = output;
    }

    public bool HasExited => process.HasExited;

    public static SoakProcess Start(string file, IEnumerable<string> arguments, IDictionary<string, string> environment, string logFile)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = Path.GetDirectoryName(file)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var writer = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Write(writer, e.Data);
        process.ErrorDataReceived += (_, e) => Write(writer, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SoakProcess(process, writer);
    }

    /// <summary>SIGKILL: no chance to clean up, as when a host dies.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM, then SIGKILL after the grace.</summary>
    public async Task TerminateAsync(TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
        lock (output)
        {
            output.Dispose();
        }
    }

    private static void Write(StreamWriter writer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (writer)
        {
            try
            {
                writer.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
