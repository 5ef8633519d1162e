namespace Byot.Shared.Artifacts;

/// <summary>A bundle that is readable but unsafe or too big to unpack; the message says which entry and why.</summary>
public sealed class BundleRefusedException : Exception
{
    public BundleRefusedException()
    {
    }

    public BundleRefusedException(string message)
        : base(message)
    {
    }

    public BundleRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
