using Byot.Shared.Domain;

namespace Byot.Shared.Runs;

/// <summary>The run a run-now call answers with; <see cref="Queued"/> is false when it was already waiting.
/// <see cref="Runs"/> is every run the call queued or found waiting, one per location, <see cref="Run"/> first.</summary>
public sealed record RunNowResult(TestRun Run, bool Queued)
{
    public IReadOnlyList<TestRun> Runs { get; init; } = [Run];
}
