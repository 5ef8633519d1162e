using System.Diagnostics;
using System.Text;

namespace Byot.Tests.Deploy;

/// <summary>A published Runner started as a real operating-system process, with its output collected.</summary>
public sealed class RunnerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private RunnerProcess(Process process)
    {
        this.process = process;
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Starts the executable in its own folder (its content root) with exactly the given settings on top of
    /// a clean environment, the way systemd starts it from runner.env.</summary>
    public static RunnerProcess Start(string executable, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = Path.GetDirectoryName(executable)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        start.Environment["HOME"] = Path.GetTempPath();
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var runner = new RunnerProcess(process);
        process.OutputDataReceived += (_, e) => runner.Append("[stdout] ", e.Data);
        process.ErrorDataReceived += (_, e) => runner.Append("[stderr] ", e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return runner;
    }

    /// <summary>Waits until the output contains the text (or the process ends).</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (Output.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            if (process.HasExited)
            {
                break;
            }

            await Task.Delay(100);
        }

        return Output.Contains(text, StringComparison.Ordinal);
    }

    /// <summary>Sends SIGTERM, as systemd and docker stop do, and waits for the process to end.</summary>
    public async Task<bool> TerminateAsync(TimeSpan within)
    {
        var kill = await Command.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException(kill.ToString());
        }

        using var deadline = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Append(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Append(stream).Append(line).Append('\n');
        }
    }
}
