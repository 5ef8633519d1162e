namespace Byot.Shared.Artifacts;

/// <summary>The artifacts and logs containers (buckets on S3): created at start when missing, probed by health.</summary>
public abstract class ObjectContainers
{
    public abstract Task EnsureAsync(CancellationToken cancellationToken);

    /// <summary>Throws when the logs container cannot be reached.</summary>
    public abstract Task ProbeAsync(CancellationToken cancellationToken);
}
