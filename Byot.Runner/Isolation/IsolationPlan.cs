namespace Byot.Runner.Isolation;

/// <summary>How one run is isolated: the engine runtime to create its container with (null: the engine's default,
/// runc), what the run records, the engine's pids limit for it, the guest's own process limit (gVisor only), or why
/// this Runner cannot give what the test needs.</summary>
internal sealed record IsolationPlan(string? EngineRuntime, string Recorded, long PidsLimit, long? ProcessLimit = null, string? Refusal = null);
