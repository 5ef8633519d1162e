namespace Byot.Runner.Worker;

/// <summary>How much log a run holds in memory while Blob storage is unreachable, and how hard a flush that must
/// succeed retries (exponential backoff from <see cref="RetryDelay"/>).</summary>
internal sealed record LogBufferPolicy(long BufferBytes, int RetryAttempts, TimeSpan RetryDelay)
{
    public static LogBufferPolicy Default { get; } = new(8L * 1024 * 1024, 6, TimeSpan.FromSeconds(1));
}
