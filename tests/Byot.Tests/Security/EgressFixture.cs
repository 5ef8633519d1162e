using System.Diagnostics;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Byot.Runner.Network;
using Byot.Runner.Options;
using Xunit;

namespace Byot.Tests.Security;

/// <summary>A BYOT egress network of its own (network, bridge and iptables chains named for this fixture only) and two
/// network namespaces on veth pairs this fixture creates, each with a TCP server that answers "hello". Addresses are
/// from 198.18.0.0/15 (benchmarking, never routed) and exist only inside this machine. Everything is removed after.</summary>
public sealed class EgressFixture : IAsyncLifetime
{
    private readonly string tag = Guid.NewGuid().ToString("N")[..6];
    private readonly int block = Random.Shared.Next(5, 120) * 2;
    private readonly List<Process> servers = [];

    public string Network => $"byot-t-{tag}";

    public string Bridge => $"bt{tag}";

    /// <summary>Both namespaces lie in this denied range; <see cref="AllowedAddress"/> is allowed inside it.</summary>
    public string DeniedRange => $"198.19.{block}.0/23";

    public string DeniedAddress => $"198.19.{block}.2";

    public string AllowedAddress => $"198.19.{block + 1}.2";

    public const int ServerPort = 9000;

    public Dictionary<string, string?> RunnerSettings(string? iptables = null) => new()
    {
        ["Byot:Runner:EgressNetwork"] = Network,
        ["Byot:Runner:EgressBridge"] = Bridge,
        ["Byot:Runner:EgressDenyCidrs:0"] = DeniedRange,
        ["Byot:Runner:EgressAllowCidrs:0"] = AllowedAddress,
        ["Byot:Runner:Iptables"] = iptables ?? "iptables",
    };

    /// <summary>Every IPv4 address of this host but loopback: a network-enabled test must reach none of them.</summary>
    public static IReadOnlyList<string> HostAddresses =>
    [
        .. NetworkInterface.GetAllNetworkInterfaces().SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork && !System.Net.IPAddress.IsLoopback(a.Address))
            .Select(a => a.Address.ToString()).Distinct(),
    ];

    public async Task InitializeAsync()
    {
        foreach (var (index, address) in new[] { (0, DeniedAddress), (1, AllowedAddress) })
        {
            var ns = Namespace(index);
            var hostSide = $"bv{tag}{index}";
            var peer = $"bp{tag}{index}";
            var prefix = address[..address.LastIndexOf('.')];
            await ShAsync($"ip netns add {ns}");
            await ShAsync($"ip link add {hostSide} type veth peer name {peer}");
            await ShAsync($"ip link set {peer} netns {ns}");
            await ShAsync($"ip addr add {prefix}.1/30 dev {hostSide} && ip link set {hostSide} up");
            await ShAsync($"ip netns exec {ns} sh -c 'ip addr add {address}/30 dev {peer} && ip link set {peer} up && ip link set lo up && ip route add default via {prefix}.1'");
            var server = Process.Start(new ProcessStartInfo("ip", [
                "netns", "exec", ns, "python3", "-c",
                $"import socket\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\ns.bind(('0.0.0.0',{ServerPort}))\ns.listen(8)\nwhile True:\n  c,_=s.accept()\n  c.sendall(b'hello\\n')\n  c.close()\n",
            ]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            servers.Add(server);
        }

        // The servers bind within a moment; check from inside their namespaces (never from the bridge).
        foreach (var index in new[] { 0, 1 })
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while ((await RunAsync("ip", "netns", "exec", Namespace(index), "busybox", "nc", "-w", "1", "127.0.0.1", ServerPort.ToString(System.Globalization.CultureInfo.InvariantCulture))).Code != 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"the server in {Namespace(index)} did not start");
                await Task.Delay(100);
            }
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var server in servers)
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            server.Dispose();
        }

        foreach (var index in new[] { 0, 1 })
        {
            await RunAsync("ip", "netns", "del", Namespace(index));
            await RunAsync("ip", "link", "del", $"bv{tag}{index}");
        }

        await RemoveNetworkAsync(Network, Bridge);
    }

    /// <summary>Removes a test network and its iptables chains and jumps.</summary>
    public static async Task RemoveNetworkAsync(string network, string bridge)
    {
        var firewall = new IptablesFirewall(Microsoft.Extensions.Options.Options.Create(new RunnerOptions()));
        await firewall.RemoveAsync(new EgressPolicy(bridge, [], []), CancellationToken.None);
        await RunAsync("docker", "network", "rm", network);
    }

    public static async Task<string> GatewayAsync(string network) =>
        (await RunAsync("docker", "network", "inspect", "-f", "{{range .IPAM.Config}}{{.Gateway}}{{end}}", network)).Output.Trim();

    public static async Task<(int Code, string Output)> RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }

    private string Namespace(int index) => $"byotns-{tag}-{index}";

    private static async Task ShAsync(string command)
    {
        var (code, output) = await RunAsync("sh", "-c", command);
        Assert.True(code == 0, $"{command}: {output}");
    }
}
