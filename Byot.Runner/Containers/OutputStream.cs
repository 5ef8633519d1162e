namespace Byot.Runner.Containers;

public enum OutputStream
{
    Stdout,
    Stderr,
}
