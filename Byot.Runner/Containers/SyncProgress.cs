namespace Byot.Runner.Containers;

/// <summary>Reports on the caller's thread: <see cref="Progress{T}"/> posts later, so an error reported at the end of
/// a stream could arrive after the call that produced it returned.</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
