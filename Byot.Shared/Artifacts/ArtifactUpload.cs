namespace Byot.Shared.Artifacts;

/// <summary>One artifact being written part by part (Blob blocks, S3 multipart parts); nothing is visible before
/// <see cref="CommitAsync"/>.</summary>
public abstract class ArtifactUpload
{
    /// <param name="only">The whole artifact is this one part (a backend may then write it in one request).</param>
    public abstract Task StageAsync(int index, byte[] buffer, int count, bool only, CancellationToken cancellationToken);

    public abstract Task CommitAsync(int parts, CancellationToken cancellationToken);

    /// <summary>Called once an upload ends without a commit (refused, failed, cancelled); best effort.</summary>
    public abstract Task AbortAsync();
}
