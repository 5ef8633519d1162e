using System.Text;
using System.Text.Json;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Isolation;

/// <summary>Every runtime under gVisor on the real engine (runsc registered as <c>byot-gvisor</c> and
/// <c>byot-gvisor-net</c> by scripts/services.sh): the test sees gVisor's kernel, not the host's, and the run records
/// <c>gvisor</c>.</summary>
public sealed class GvisorRuntimeTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private static readonly string HostKernel = File.ReadAllText("/proc/version").Trim();
    private RunnerKit kit = null!;

    public async Task InitializeAsync() =>
        kit = await RunnerKit.StartAsync(environment, new Dictionary<string, string?> { ["Byot:Runner:Isolation"] = "gvisor" });

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task Shell_runs_under_gvisor()
    {
        var (log, run) = await RunAsync(Encoding.UTF8.GetBytes("echo \"kernel: $(cat /proc/version)\"\ndmesg | head -1\n"), "shell", "k.sh");

        AssertUnderGvisor(log, run);
        Assert.Contains("Starting gVisor", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Static_binary_runs_under_gvisor()
    {
        var (log, run) = await RunAsync(TestPrograms.StaticBinary(0, (false, "binary ok")), "binary", "e2e");

        Assert.True(run.GetProperty("status").GetString() == "passed", run.ToString());
        Assert.Contains("[stdout] binary ok", log, StringComparison.Ordinal);
        Assert.Equal("gvisor", run.GetProperty("isolation").GetString());
    }

    [Fact]
    public async Task Python_runs_under_gvisor()
    {
        var (log, run) = await RunAsync(Encoding.UTF8.GetBytes("print('kernel: ' + open('/proc/version').read().strip())\n"), "python", "k.py");

        AssertUnderGvisor(log, run);
    }

    [Fact]
    public async Task Node_runs_under_gvisor()
    {
        var (log, run) = await RunAsync(Encoding.UTF8.GetBytes("console.log('kernel: ' + require('fs').readFileSync('/proc/version', 'utf8').trim());\n"), "node", "k.js");

        AssertUnderGvisor(log, run);
    }

    [Fact]
    public async Task Network_enabled_test_runs_under_gvisor_with_an_interface_of_its_own()
    {
        var (log, run) = await RunAsync(
            Encoding.UTF8.GetBytes("echo \"kernel: $(cat /proc/version)\"\nip -4 addr show eth0 | grep -q 'inet ' && echo has-eth0\n"),
            "shell", "net.sh", ("docker_network_enabled", "true"));

        AssertUnderGvisor(log, run);
        Assert.Contains("[stdout] has-eth0", log, StringComparison.Ordinal);
    }

    private async Task<(string Log, JsonElement Run)> RunAsync(byte[] file, string runtime, string fileName, params (string Name, string Value)[] fields)
    {
        var testId = await kit.UploadAsync(file, runtime, fileName, fields);
        var runId = await kit.Api.RunNowOkAsync(testId);
        var run = await kit.Api.WaitForFinalAsync(runId);
        return (await kit.LogAsync(runId), run);
    }

    private static void AssertUnderGvisor(string log, JsonElement run)
    {
        Assert.True(run.GetProperty("status").GetString() == "passed", run + "\n" + log);
        Assert.Equal("gvisor", run.GetProperty("isolation").GetString());
        var kernel = log.Split('\n').Single(l => l.Contains("[stdout] kernel: ", StringComparison.Ordinal));
        Assert.DoesNotContain(HostKernel, kernel, StringComparison.Ordinal);
        Assert.Contains("Linux version", kernel, StringComparison.Ordinal);
    }
}
