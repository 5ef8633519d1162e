namespace Byot.Testing;

public sealed record CommandResult(string Description, int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"{Description} exited {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
