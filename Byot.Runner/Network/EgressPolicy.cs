using System.Net;

namespace Byot.Runner.Network;

/// <summary>The egress rules for the BYOT bridge, as iptables rule specs: a pure function of the settings, the
/// bridge's gateway and the runner host's addresses. Forwarded traffic (to other hosts) passes the DOCKER-USER chain;
/// traffic to the host itself never does, so a second chain on INPUT refuses everything a test opens to the host.</summary>
internal sealed record EgressPolicy(string Bridge, IReadOnlyList<string> Allow, IReadOnlyList<string> Deny)
{
    /// <summary>Denied whatever the settings say, unless a setting allows a part of it: cloud metadata lives here.</summary>
    public const string LinkLocal = "169.254.0.0/16";

    private const string Established = "-m conntrack --ctstate RELATED,ESTABLISHED -j RETURN";
    private const string Reject = "-j REJECT --reject-with icmp-port-unreachable";

    public string ForwardChain => "BYOT-F-" + Bridge;

    public string InputChain => "BYOT-I-" + Bridge;

    /// <summary>(chain, rule) pairs that send the bridge's traffic into BYOT's chains.</summary>
    public IReadOnlyList<(string Chain, string Rule)> Jumps =>
    [
        ("DOCKER-USER", $"-i {Bridge} -j {ForwardChain}"),
        ("INPUT", $"-i {Bridge} -j {InputChain}"),
    ];

    public IReadOnlyList<string> ForwardRules =>
        [Established, .. Allow.Select(c => $"-d {c} -j RETURN"), .. Deny.Select(c => $"-d {c} {Reject}")];

    public IReadOnlyList<string> InputRules =>
        [Established, .. Allow.Select(c => $"-d {c} -j RETURN"), Reject];

    public static EgressPolicy For(string bridge, string gateway, IEnumerable<IPAddress> hostAddresses, IEnumerable<string> deny, IEnumerable<string> allow)
    {
        var denied = new List<string> { LinkLocal, Cidr(gateway) };
        denied.AddRange(hostAddresses.Where(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)).Select(a => a + "/32"));
        denied.AddRange(deny.Select(Cidr));
        return new EgressPolicy(bridge, [.. allow.Select(Cidr).Distinct(StringComparer.Ordinal)], [.. denied.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>The rules as an iptables-restore input that replaces both chains in one commit, so no packet ever
    /// sees them half-written.</summary>
    public string RestoreScript() =>
        $"*filter\n:{ForwardChain} - [0:0]\n:{InputChain} - [0:0]\n"
        + string.Concat(ForwardRules.Select(r => $"-A {ForwardChain} {r}\n"))
        + string.Concat(InputRules.Select(r => $"-A {InputChain} {r}\n"))
        + "COMMIT\n";

    /// <summary>An IPv4 address or CIDR as iptables prints it (<c>10.0.0.0/8</c>, <c>10.1.2.3/32</c>); refuses anything else.</summary>
    public static string Cidr(string value)
    {
        var text = value.Trim();
        var network = text.Contains('/', StringComparison.Ordinal) ? IPNetwork.Parse(text) : new IPNetwork(IPAddress.Parse(text), 32);
        return network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? network.ToString()
            : throw new FormatException($"'{value}' is not an IPv4 address or CIDR.");
    }
}
