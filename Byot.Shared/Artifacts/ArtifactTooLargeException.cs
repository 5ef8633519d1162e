namespace Byot.Shared.Artifacts;

public sealed class ArtifactTooLargeException(long limitBytes)
    : Exception($"The artifact is larger than the limit of {limitBytes} bytes.")
{
    public long LimitBytes { get; } = limitBytes;
}
