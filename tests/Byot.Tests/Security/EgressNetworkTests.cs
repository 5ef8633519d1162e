using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Security;

/// <summary>Network-enabled tests run on BYOT's own bridge with inter-container traffic off and the egress rules in
/// DOCKER-USER (and INPUT, for the host itself): the host, another test, a denied range are unreachable; an allowed
/// address is reachable; a runner that cannot put the rules in place starts no network-enabled test.</summary>
public sealed partial class EgressNetworkTests(ByotEnvironment environment, EgressFixture egress)
    : IClassFixture<ByotEnvironment>, IClassFixture<EgressFixture>, IAsyncLifetime
{
    private const string Probe = """
        probe() { if busybox nc -w 3 "$1" "$2" </dev/null > /tmp/out 2>&1; then echo "$3: reached $(cat /tmp/out)"; else echo "$3: blocked"; fi; }
        """;

    private RunnerKit kit = null!;

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment, egress.RunnerSettings());

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task The_network_is_byots_own_with_inter_container_traffic_off_and_the_rules_are_installed()
    {
        var (_, run) = await NetworkedRunAsync("echo up");

        Assert.Equal("passed", run.GetProperty("status").GetString());
        var inspect = JsonDocument.Parse((await EgressFixture.RunAsync("docker", "network", "inspect", egress.Network)).Output).RootElement[0];
        Assert.Equal("false", inspect.GetProperty("Options").GetProperty("com.docker.network.bridge.enable_icc").GetString());
        Assert.Equal("true", inspect.GetProperty("Labels").GetProperty("byot.managed").GetString());
        var forward = (await EgressFixture.RunAsync("iptables", "-S", $"BYOT-F-{egress.Bridge}")).Output;
        Assert.Contains("-d 169.254.0.0/16 -j REJECT", forward, StringComparison.Ordinal);
        Assert.Contains($"-d {await EgressFixture.GatewayAsync(egress.Network)}/32 -j REJECT", forward, StringComparison.Ordinal);
        Assert.Contains($"-d {egress.DeniedRange} -j REJECT", forward, StringComparison.Ordinal);
        Assert.Contains($"-d {egress.AllowedAddress}/32 -j RETURN", forward, StringComparison.Ordinal);
        Assert.Equal(0, (await EgressFixture.RunAsync("iptables", "-C", "DOCKER-USER", "-i", egress.Bridge, "-j", $"BYOT-F-{egress.Bridge}")).Code);
        Assert.Equal(0, (await EgressFixture.RunAsync("iptables", "-C", "INPUT", "-i", egress.Bridge, "-j", $"BYOT-I-{egress.Bridge}")).Code);
    }

    [Fact]
    public async Task A_denied_range_is_unreachable_and_an_allowed_address_is_reachable()
    {
        var (runId, run) = await NetworkedRunAsync($"""
            {Probe}
            probe {egress.DeniedAddress} {EgressFixture.ServerPort} denied
            probe {egress.AllowedAddress} {EgressFixture.ServerPort} allowed
            """);

        var log = await kit.LogAsync(runId);
        Assert.True(run.GetProperty("status").GetString() == "passed", log);
        Assert.Contains("[stdout] denied: blocked", log, StringComparison.Ordinal);
        Assert.Contains("[stdout] allowed: reached hello", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_on_the_host_bound_to_every_address_is_unreachable()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = 0;
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                Interlocked.Increment(ref accepted);
                await client.GetStream().WriteAsync("host\n"u8.ToArray(), stop.Token);
            }
        });
        var targets = EgressFixture.HostAddresses.Append(await EgressFixture.GatewayAsync(egress.Network)).Distinct().ToList();

        var (runId, run) = await NetworkedRunAsync($"""
            {Probe}
            {string.Join("\n", targets.Select(t => $"probe {t} {port} host-{t}"))}
            probe {egress.AllowedAddress} {EgressFixture.ServerPort} allowed
            """);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accepting);
        var log = await kit.LogAsync(runId);
        Assert.True(run.GetProperty("status").GetString() == "passed", log);
        Assert.Contains("[stdout] allowed: reached hello", log, StringComparison.Ordinal);
        foreach (var target in targets)
        {
            Assert.Contains($"[stdout] host-{target}: blocked", log, StringComparison.Ordinal);
        }

        Assert.Equal(0, accepted);
    }

    [Fact]
    public async Task Two_network_enabled_tests_cannot_reach_each_other()
    {
        var serverId = await kit.UploadAsync(RunnerKit.Shell($"""
            {Probe}
            mkdir -p /tmp/www && echo hello > /tmp/www/index.html
            busybox httpd -p 8080 -h /tmp/www
            ip=$(busybox ip -4 -o addr show eth0 | busybox sed -e 's/.*inet //' -e 's|/.*||')
            echo "serving on $ip"
            probe "$ip" 8080 self
            sleep 12
            """), fields: [("docker_network_enabled", "true"), ("timeout", "30")]);
        var serverRun = await kit.Api.RunNowOkAsync(serverId);
        var address = await WaitForAddressAsync(serverRun);

        var (clientRun, client) = await NetworkedRunAsync($"""
            {Probe}
            probe {address} 8080 other-test
            """);

        var serverLog = await kit.LogAsync(serverRun);
        Assert.Contains("[stdout] self: reached", serverLog, StringComparison.Ordinal);
        Assert.True(client.GetProperty("status").GetString() == "passed", await kit.LogAsync(clientRun));
        Assert.Contains("[stdout] other-test: blocked", await kit.LogAsync(clientRun), StringComparison.Ordinal);
        await kit.Api.WaitForFinalAsync(serverRun);
    }

    [Fact]
    public async Task A_runner_that_cannot_install_or_verify_the_rules_starts_no_network_enabled_test()
    {
        var network = $"byot-t-{Guid.NewGuid().ToString("N")[..6]}";
        var bridge = "bx" + network[^6..];
        var settings = egress.RunnerSettings(iptables: "/nonexistent/iptables");
        settings["Byot:Runner:EgressNetwork"] = network;
        settings["Byot:Runner:EgressBridge"] = bridge;
        settings["Byot:Runner:MaxInfraAttempts"] = "1";
        await kit.StopRunnerAsync();
        try
        {
            await using var runner = await RunnerHost.StartAsync(environment, new Dictionary<string, string?>(RunnerKit.FastSettings.Concat(settings)));

            var (runId, run) = await NetworkedRunAsync("echo should never run");
            var (_, offline) = await kit.RunAsync(RunnerKit.Shell("echo no network needed"));

            Assert.Equal("infra_error", run.GetProperty("status").GetString());
            Assert.Contains("does not start network-enabled tests unfiltered", run.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Contains("/nonexistent/iptables", run.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("should never run", await TryLogAsync(runId), StringComparison.Ordinal);
            Assert.Equal(0, await RunnerKit.LeftoversAsync(runId));
            Assert.Equal("passed", offline.GetProperty("status").GetString());
        }
        finally
        {
            await EgressFixture.RemoveNetworkAsync(network, bridge);
        }
    }

    private async Task<(Guid RunId, JsonElement Run)> NetworkedRunAsync(string script)
    {
        var testId = await kit.UploadAsync(RunnerKit.Shell(script), fields: [("docker_network_enabled", "true"), ("timeout", "30")]);
        var runId = await kit.Api.RunNowOkAsync(testId);
        return (runId, await kit.Api.WaitForFinalAsync(runId));
    }

    private async Task<string> WaitForAddressAsync(Guid runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var log = await TryLogAsync(runId);
            if (ServingOn().Match(log) is { Success: true } match)
            {
                return match.Groups[1].Value;
            }

            Assert.True(DateTime.UtcNow < deadline, "the serving test never printed its address: " + log);
            await Task.Delay(200);
        }
    }

    private async Task<string> TryLogAsync(Guid runId)
    {
        try
        {
            return await kit.LogAsync(runId);
        }
        catch (Azure.RequestFailedException)
        {
            return "";
        }
    }

    [GeneratedRegex(@"serving on (\d+\.\d+\.\d+\.\d+)")]
    private static partial Regex ServingOn();
}
