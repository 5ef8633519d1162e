using Byot.Shared.Domain;

namespace Byot.Shared.Storage;

/// <summary>What a run-now call got: a new run (<see cref="Created"/>), an equal one already queued, or, when
/// <see cref="Run"/> is null, nothing because the test is gone or its queue of manual runs is full.</summary>
public sealed record ManualRunResult(TestRun? Run, bool Created, int QueuedCount);
