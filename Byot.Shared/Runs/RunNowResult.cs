using Byot.Shared.Domain;

namespace Byot.Shared.Runs;

/// <summary>The run a run-now call answers with; <see cref="Queued"/> is false when it was already waiting.</summary>
public sealed record RunNowResult(TestRun Run, bool Queued);
