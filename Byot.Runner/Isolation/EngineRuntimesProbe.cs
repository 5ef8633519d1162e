using Byot.Runner.Containers;
using Byot.Runner.Options;
using Microsoft.Extensions.Options;

namespace Byot.Runner.Isolation;

/// <summary>Asks the engine which runtimes it has. At start it refuses to start a Runner whose isolation floor the
/// engine cannot meet, so a misconfigured host fails loudly instead of running tests under less than it promised.
/// An engine that cannot be reached at start is asked again before the next run (that run is an infra_error while
/// it stays unreachable), as every other engine fault is.</summary>
internal sealed partial class EngineRuntimesProbe(IContainerEngine engine, IOptions<RunnerOptions> options, ILogger<EngineRuntimesProbe> logger) : IHostedService
{
    private EngineRuntimes? found;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var runtimes = await GetAsync(cancellationToken);
            if (runtimes.FloorIsExplicit && !runtimes.HasGvisor)
            {
                var o = options.Value;
                throw new InvalidOperationException(
                    $"Byot:Runner:Isolation is 'gvisor' but the Docker engine has no '{o.GvisorRuntime}' runtime. Install runsc and run deploy/runner/install.sh (it registers it), or choose 'auto'.");
            }
        }
        catch (ContainerEngineException e)
        {
            LogEngineUnreachable(e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>What the engine offers; asked once, then remembered.</summary>
    public async Task<EngineRuntimes> GetAsync(CancellationToken cancellationToken)
    {
        if (found is { } known)
        {
            return known;
        }

        var o = options.Value;
        var runtimes = await engine.ListRuntimesAsync(cancellationToken);
        var hasGvisor = runtimes.Contains(o.GvisorRuntime);
        var hasNetwork = runtimes.Contains(o.GvisorNetworkRuntime);
        var result = new EngineRuntimes(hasGvisor, hasNetwork, o.Isolation == IsolationMode.Gvisor || (o.Isolation == IsolationMode.Auto && hasGvisor), o.Isolation == IsolationMode.Gvisor);
        LogProbed(o.Isolation.ToString(), result.GvisorFloor ? "gvisor" : "runc", hasGvisor, hasNetwork, string.Join(", ", runtimes));
        return found = result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Isolation {Setting}: floor {Floor} (gVisor runtime {HasGvisor}, gVisor network runtime {HasNetwork}; the engine has {Runtimes})")]
    private partial void LogProbed(string setting, string floor, bool hasGvisor, bool hasNetwork, string runtimes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The engine's runtimes could not be listed at start ({Reason}); asking again before the next run")]
    private partial void LogEngineUnreachable(string reason);
}
