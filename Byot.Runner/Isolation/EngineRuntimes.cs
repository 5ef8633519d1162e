namespace Byot.Runner.Isolation;

/// <summary>What this Runner's engine offers, found once at start: whether the gVisor runtimes BYOT registers are
/// there, and the floor that follows from the Runner's setting.</summary>
/// <param name="GvisorFloor">Every run of this Runner goes under gVisor (setting <c>gvisor</c>, or <c>auto</c> with
/// gVisor registered).</param>
internal sealed record EngineRuntimes(bool HasGvisor, bool HasGvisorNetwork, bool GvisorFloor, bool FloorIsExplicit);
