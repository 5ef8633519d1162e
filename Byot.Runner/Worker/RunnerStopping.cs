namespace Byot.Runner.Worker;

/// <summary>Set once the Runner is asked to stop. A stopping Runner finishes the try it started but starts no
/// further try of a run: the run is handed back instead (docs/cases.md, "Retries inside a run").</summary>
internal sealed class RunnerStopping : IDisposable
{
    private readonly CancellationTokenSource stopping = new();

    public CancellationToken Token => stopping.Token;

    public bool IsStopping => stopping.IsCancellationRequested;

    public void Stop() => stopping.Cancel();

    public void Dispose() => stopping.Dispose();
}
