namespace Byot.Cli;

/// <summary>A failure the user can act on: its message is printed as is and the process exits with its code.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliException BadInput(string message) => new(ExitCodes.BadInput, message);
}
