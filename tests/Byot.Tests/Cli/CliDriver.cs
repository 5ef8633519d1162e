using Byot.Cli;

namespace Byot.Tests.Cli;

/// <summary>Runs the CLI's entry point in-process with captured output, a private config directory and a fake
/// environment (BYOT_URL/BYOT_KEY unless a test removes them).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliDriver : IDisposable
{
    public CliDriver(string? url, string? key)
    {
        Environment = new Dictionary<string, string?>(StringComparer.Ordinal) { ["BYOT_URL"] = url, ["BYOT_KEY"] = key };
        System.IO.Directory.CreateDirectory(Directory);
    }

    public Dictionary<string, string?> Environment { get; }

    /// <summary>Pretend stdout is a terminal: tables, colour and progress bars instead of plain text.</summary>
    public bool Terminal { get; set; }

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "byot-cli-" + Guid.NewGuid().ToString("N"));

    public string ConfigDirectory => Path.Combine(Directory, "config");

    public async Task<CliResult> RunAsync(params string[] args) => await RunWithInputAsync("", args);

    public async Task<CliResult> RunWithInputAsync(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var host = new CliHost
        {
            Out = TextWriter.Synchronized(output),
            Error = TextWriter.Synchronized(error),
            In = new StringReader(stdin),
            Environment = name => Environment.GetValueOrDefault(name),
            ConfigDirectory = ConfigDirectory,
            WorkingDirectory = Directory,
            OutputIsTerminal = Terminal,
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var code = await CliApp.RunAsync(args, host, timeout.Token);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public string Write(string relativePath, string content, bool executable = false)
    {
        var path = Path.Combine(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content.ReplaceLineEndings("\n"));
        if (executable)
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
