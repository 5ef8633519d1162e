using Byot.Runner.Options;
using Byot.Shared.Domain;

namespace Byot.Runner.Isolation;

/// <summary>The isolation rules, in one place and without I/O: a test gets at least the Runner's floor and gVisor
/// when it asks; network-enabled tests under gVisor need the network-capable gVisor runtime, and where only the
/// Runner's <c>auto</c> floor asked for gVisor they fall back to runc with the egress policy, recorded as such.</summary>
internal static class IsolationPlanner
{
    public static IsolationPlan Plan(EngineRuntimes engine, RunnerOptions options, string? requested, bool networkEnabled)
    {
        var asked = requested == Isolations.Gvisor;
        if (!asked && !engine.GvisorFloor)
        {
            return Runc(options);
        }

        if (!networkEnabled)
        {
            return engine.HasGvisor
                ? Gvisor(options.GvisorRuntime, options)
                : Refuse($"The test asks for gVisor isolation, but this Runner's engine has no '{options.GvisorRuntime}' runtime registered (install runsc and run deploy/runner/install.sh, or set Byot:Runner:Isolation=gvisor on a Runner that has it).");
        }

        if (engine.HasGvisorNetwork)
        {
            return Gvisor(options.GvisorNetworkRuntime, options);
        }

        if (!asked && !engine.FloorIsExplicit)
        {
            return Runc(options) with { Recorded = $"{Isolations.Runc} (network-enabled; the engine has no '{options.GvisorNetworkRuntime}' runtime, so runc with the egress policy)" };
        }

        return Refuse($"The test needs gVisor with network access, but this Runner's engine has no '{options.GvisorNetworkRuntime}' runtime registered (deploy/runner/install.sh registers it with runsc).");
    }

    private static IsolationPlan Runc(RunnerOptions options) => new(null, Isolations.Runc, options.PidsLimit);

    /// <summary>Under gVisor the engine's pids limit counts the sandbox's own host processes and threads (about eight per
    /// guest process), and reaching it kills the whole sandbox instead of failing one fork. So the test's own limit is
    /// its RLIMIT_NPROC, which gVisor enforces inside the sandbox (fork fails with EAGAIN, as under runc's pids limit),
    /// and the engine's limit is a larger backstop. Under runc RLIMIT_NPROC would count every process of the uid on
    /// the host, so it is used only here.</summary>
    private static IsolationPlan Gvisor(string runtime, RunnerOptions options) =>
        new(runtime, Isolations.Gvisor, options.GvisorPidsLimit, ProcessLimit: options.PidsLimit);

    private static IsolationPlan Refuse(string reason) => new(null, Isolations.Runc, 0, Refusal: reason);
}
