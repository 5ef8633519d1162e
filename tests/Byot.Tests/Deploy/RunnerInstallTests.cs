using Xunit;

namespace Byot.Tests.Deploy;

/// <summary>deploy/runner/install.sh (staged with --root, so it creates no user and leaves systemd alone) and the
/// byot-runner.service unit it installs, checked by systemd-analyze verify.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RunnerInstallTests : IDisposable
{
    private readonly string stage = Path.Combine(Path.GetTempPath(), "byot-install-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        foreach (var folder in new[] { stage, stage + "-bin" })
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Install_writes_the_binary_a_private_env_file_and_a_unit_that_systemd_accepts()
    {
        var binary = await FakeBinaryAsync();
        var result = await InstallAsync(
            "--binary", binary, "--database", "Host=db;Password=p a;ss", "--storage", "UseDevelopmentStorage=true",
            "--id", "runner-7", "--max-concurrent", "4", "--set", "Byot__Runner__Runtimes__node__Image=node:22-alpine");
        Assert.True(result.ExitCode == 0, result.ToString());

        var installed = Path.Combine(stage, "opt", "byot-runner", "Byot.Runner");
        Assert.True(File.Exists(installed));
        Assert.True(File.GetUnixFileMode(installed).HasFlag(UnixFileMode.UserExecute));
        var environmentFile = Path.Combine(stage, "etc", "byot-runner", "runner.env");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(environmentFile));
        var values = RunnerEnvironmentFile.Read(environmentFile);
        Assert.Equal("Host=db;Password=p a;ss", values["Byot__Database__ConnectionString"]);
        Assert.Equal("UseDevelopmentStorage=true", values["Byot__Storage__ConnectionString"]);
        Assert.Equal("runner-7", values["Byot__Runner__Id"]);
        Assert.Equal("4", values["Byot__Runner__MaxConcurrentRuns"]);
        Assert.Equal("node:22-alpine", values["Byot__Runner__Runtimes__node__Image"]);

        var unit = Path.Combine(stage, "etc", "systemd", "system", "byot-runner.service");
        var text = await File.ReadAllTextAsync(unit);
        Assert.Contains("EnvironmentFile=/etc/byot-runner/runner.env", text, StringComparison.Ordinal);
        Assert.Contains("ExecStart=/opt/byot-runner/Byot.Runner", text, StringComparison.Ordinal);
        Assert.Contains("SupplementaryGroups=docker", text, StringComparison.Ordinal);

        // systemd-analyze resolves the unit's dependencies against the root it is given: lend it the host's units.
        CopyDirectory("/usr/lib/systemd/system", Path.Combine(stage, "usr", "lib", "systemd", "system"));
        var verify = await Command.RunAsync("systemd-analyze", ["verify", "--man=no", "--root=" + stage, unit]);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        // It exits 0 on unknown keys and bad values too, but prints them.
        Assert.True(verify.Stderr.Trim().Length == 0 && verify.Stdout.Trim().Length == 0, verify.ToString());
    }

    [Theory]
    [InlineData("--storage", "UseDevelopmentStorage=true")]
    [InlineData("--database", "Host=db")]
    [InlineData("--database", "Host=db;Password=it's", "--storage", "x")]
    [InlineData("--database", "Host=db", "--storage", "x", "--set", "not a name=1")]
    public async Task Install_refuses_missing_or_unsafe_settings_and_writes_nothing(params string[] arguments)
    {
        var result = await InstallAsync(["--binary", await FakeBinaryAsync(), .. arguments]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("install.sh: ", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(stage, "etc", "byot-runner", "runner.env")));
    }

    [Fact]
    public async Task Upgrade_with_keep_env_replaces_the_binary_and_keeps_the_settings()
    {
        var first = await InstallAsync("--binary", await FakeBinaryAsync(), "--database", "Host=db", "--storage", "x", "--id", "keep-me");
        Assert.True(first.ExitCode == 0, first.ToString());
        var environmentFile = Path.Combine(stage, "etc", "byot-runner", "runner.env");
        var before = await File.ReadAllTextAsync(environmentFile);

        var binary = await FakeBinaryAsync("#!/bin/sh\necho v2\n");
        var upgrade = await InstallAsync("--binary", binary, "--keep-env");

        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.Equal(before, await File.ReadAllTextAsync(environmentFile));
        Assert.Equal("#!/bin/sh\necho v2\n", await File.ReadAllTextAsync(Path.Combine(stage, "opt", "byot-runner", "Byot.Runner")));
    }

    private Task<CommandResult> InstallAsync(params string[] arguments) =>
        Command.RunAsync("bash", [Repository.Path("deploy", "runner", "install.sh"), "--root", stage, .. arguments]);

    private async Task<string> FakeBinaryAsync(string content = "#!/bin/sh\necho v1\n")
    {
        var folder = Path.Combine(stage + "-bin", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "Byot.Runner");
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo directory)
            {
                CopyDirectory(directory.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }
}
