namespace Byot.Shared.Runs;

/// <summary>One of the instance's live-follow places (Byot:Api:MaxConcurrentFollows), given back on dispose.</summary>
public sealed class FollowLease : IDisposable
{
    private Action? release;

    internal FollowLease(Action release) => this.release = release;

    /// <summary>A lease holding this one's place; this one then gives back nothing.</summary>
    public FollowLease Transfer() =>
        new(Interlocked.Exchange(ref release, null) ?? throw new ObjectDisposedException(nameof(FollowLease)));

    public void Dispose() => Interlocked.Exchange(ref release, null)?.Invoke();
}
