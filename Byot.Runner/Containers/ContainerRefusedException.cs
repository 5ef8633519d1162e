namespace Byot.Runner.Containers;

/// <summary>The engine refused the container the test asks for (a memory or CPU limit this host cannot give, …):
/// the test's settings are at fault, so the run fails once with the engine's reason instead of being retried.</summary>
public sealed class ContainerRefusedException : Exception
{
    public ContainerRefusedException()
    {
    }

    public ContainerRefusedException(string message)
        : base(message)
    {
    }

    public ContainerRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
