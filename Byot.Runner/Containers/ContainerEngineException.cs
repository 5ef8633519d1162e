namespace Byot.Runner.Containers;

/// <summary>The engine failed for reasons that are not the test's fault (engine down, image missing, ...).</summary>
public sealed class ContainerEngineException : Exception
{
    public ContainerEngineException()
    {
    }

    public ContainerEngineException(string message)
        : base(message)
    {
    }

    public ContainerEngineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
