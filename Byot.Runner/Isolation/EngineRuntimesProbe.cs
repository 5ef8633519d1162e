using Byot.Runner.Containers;
using Byot.Runner.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Byot.Runner.Isolation;

/// <summary>Asks the engine at start which runtimes it has and refuses to start a Runner whose isolation floor it
/// cannot meet, so a misconfigured host fails loudly instead of running tests under less than it promised.</summary>
internal sealed partial class EngineRuntimesProbe(IContainerEngine engine, IOptions<RunnerOptions> options, ILogger<EngineRuntimesProbe> logger) : IHostedService
{
    private EngineRuntimes? found;

    /// <summary>What the probe found; the Runner receives no run before it is known.</summary>
    public EngineRuntimes Current => found ?? throw new InvalidOperationException("The engine's runtimes are not probed yet.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var runtimes = await engine.ListRuntimesAsync(cancellationToken);
        var hasGvisor = runtimes.Contains(o.GvisorRuntime);
        var hasNetwork = runtimes.Contains(o.GvisorNetworkRuntime);
        if (o.Isolation == IsolationMode.Gvisor && !hasGvisor)
        {
            throw new InvalidOperationException(
                $"Byot:Runner:Isolation is 'gvisor' but the Docker engine has no '{o.GvisorRuntime}' runtime (it has: {string.Join(", ", runtimes)}). Install runsc and run deploy/runner/install.sh, or choose 'auto'.");
        }

        found = new EngineRuntimes(hasGvisor, hasNetwork, o.Isolation == IsolationMode.Gvisor || (o.Isolation == IsolationMode.Auto && hasGvisor), o.Isolation == IsolationMode.Gvisor);
        LogProbed(o.Isolation.ToString(), found.GvisorFloor ? "gvisor" : "runc", hasGvisor, hasNetwork);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Isolation {Setting}: floor {Floor} (gVisor runtime {HasGvisor}, gVisor network runtime {HasNetwork})")]
    private partial void LogProbed(string setting, string floor, bool hasGvisor, bool hasNetwork);
}
