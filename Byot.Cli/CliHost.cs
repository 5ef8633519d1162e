namespace Byot.Cli;

/// <summary>Everything the CLI takes from its surroundings: streams, whether they are terminals, environment
/// variables and the config directory. Tests build one around in-memory writers.</summary>
public sealed class CliHost
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required TextReader In { get; init; }

    /// <summary>Whether stdout is an interactive terminal (colour, tables, progress bars).</summary>
    public bool OutputIsTerminal { get; init; }

    /// <summary>Whether stdin is an interactive terminal (secrets are then read without echo).</summary>
    public bool InputIsTerminal { get; init; }

    public required Func<string, string?> Environment { get; init; }

    public required string ConfigDirectory { get; init; }

    public string WorkingDirectory { get; init; } = System.Environment.CurrentDirectory;

    public static CliHost FromConsole() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        In = Console.In,
        OutputIsTerminal = !Console.IsOutputRedirected,
        InputIsTerminal = !Console.IsInputRedirected,
        Environment = System.Environment.GetEnvironmentVariable,
        ConfigDirectory = System.Environment.GetEnvironmentVariable("BYOT_CONFIG_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.ApplicationData, System.Environment.SpecialFolderOption.DoNotVerify), "byot"),
    };

    /// <summary>Reads one secret line: without echo on a terminal, else the whole of stdin minus one trailing newline.</summary>
    public string ReadSecret()
    {
        if (!InputIsTerminal)
        {
            var all = In.ReadToEnd();
            return all.EndsWith("\r\n", StringComparison.Ordinal) ? all[..^2] : all.EndsWith('\n') ? all[..^1] : all;
        }

        var value = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Error.WriteLine();
                return value.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (value.Length > 0)
                {
                    value.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                value.Append(key.KeyChar);
            }
        }
    }
}
