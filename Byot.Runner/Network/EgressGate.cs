using System.Net.NetworkInformation;
using Byot.Runner.Containers;
using Byot.Runner.Options;
using Microsoft.Extensions.Options;

namespace Byot.Runner.Network;

/// <summary>Decides whether this runner may start network-enabled tests: only once BYOT's bridge network exists with
/// inter-container traffic off and its egress rules are verified in place. Tried at start and again before a
/// network-enabled run while it has not succeeded, so a runner recovers when the rules appear.</summary>
internal sealed partial class EgressGate(IContainerEngine engine, IptablesFirewall firewall, IOptions<RunnerOptions> options, ILogger<EgressGate> logger) : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private bool ready;

    /// <summary>Null when network-enabled runs may start; else the reason they may not.</summary>
    public async Task<string?> RefusalAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref ready))
        {
            return null;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (ready)
            {
                return null;
            }

            var o = options.Value;
            string? problem;
            try
            {
                var gateway = await engine.EnsureNetworkAsync(o.EgressNetwork, o.EgressBridge, cancellationToken);
                var hostAddresses = NetworkInterface.GetAllNetworkInterfaces().SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address);
                var policy = EgressPolicy.For(o.EgressBridge, gateway, hostAddresses, o.EgressDenyCidrs, o.EgressAllowCidrs);
                problem = await firewall.EnsureAsync(policy, cancellationToken);
            }
            catch (ContainerEngineException e)
            {
                problem = e.Message;
            }

            if (problem is null)
            {
                ready = true;
                LogReady(o.EgressNetwork, o.EgressBridge);
                return null;
            }

            var refusal = $"Runner '{o.Id}' does not start network-enabled tests unfiltered: {problem}. Run deploy/runner/install.sh as root, or give the runner CAP_NET_ADMIN and iptables.";
            LogRefused(refusal);
            return refusal;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Egress network {Network} ({Bridge}) is ready: inter-container traffic off, egress rules verified")]
    private partial void LogReady(string network, string bridge);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Refusal}")]
    private partial void LogRefused(string refusal);
}
