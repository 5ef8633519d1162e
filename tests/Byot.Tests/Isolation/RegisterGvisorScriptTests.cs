using System.Text.Json;
using Xunit;

namespace Byot.Tests.Isolation;

/// <summary>deploy/runner/register-gvisor.sh, staged with --root: it adds BYOT's two gVisor runtimes to the engine's
/// daemon.json, keeps what was there, changes nothing the second time, and without runsc leaves the file alone.</summary>
public sealed class RegisterGvisorScriptTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("byot-gvisor-").FullName;

    private string DaemonJson => Path.Combine(root, "etc", "docker", "daemon.json");

    [Fact]
    public async Task Adds_both_runtimes_keeps_other_settings_and_is_idempotent()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DaemonJson)!);
        await File.WriteAllTextAsync(DaemonJson, """{"log-driver":"local","runtimes":{"other":{"path":"/usr/bin/other"}}}""");
        var runsc = await FakeRunscAsync();

        var first = await RunAsync("--runsc", runsc);
        var written = await File.ReadAllTextAsync(DaemonJson);
        var second = await RunAsync("--runsc", runsc);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("registered gVisor", first.Stderr, StringComparison.Ordinal);
        Assert.Contains("already registered", second.Stderr, StringComparison.Ordinal);
        Assert.Equal(written, await File.ReadAllTextAsync(DaemonJson));
        using var config = JsonDocument.Parse(written);
        var runtimes = config.RootElement.GetProperty("runtimes");
        Assert.Equal("local", config.RootElement.GetProperty("log-driver").GetString());
        Assert.Equal("/usr/bin/other", runtimes.GetProperty("other").GetProperty("path").GetString());
        Assert.Equal(runsc, runtimes.GetProperty("byot-gvisor").GetProperty("path").GetString());
        Assert.Equal("--network=none", runtimes.GetProperty("byot-gvisor").GetProperty("runtimeArgs")[0].GetString());
        Assert.Equal("--network=host", runtimes.GetProperty("byot-gvisor-net").GetProperty("runtimeArgs")[0].GetString());
    }

    [Fact]
    public async Task Without_runsc_it_says_so_and_writes_nothing()
    {
        var result = await RunAsync("--runsc", Path.Combine(root, "no-such-runsc"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("runsc is not installed", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(DaemonJson));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private async Task<string> FakeRunscAsync()
    {
        var path = Path.Combine(root, "runsc");
        await File.WriteAllTextAsync(path, "#!/bin/sh\n");
        Assert.Equal(0, (await Command.RunAsync("chmod", ["+x", path])).ExitCode);
        return path;
    }

    private Task<CommandResult> RunAsync(params string[] arguments) =>
        Command.RunAsync("bash", [Repository.Path("deploy", "runner", "register-gvisor.sh"), "--root", root, .. arguments]);
}
