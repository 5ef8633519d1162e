using System.Text.Json;
using Xunit;

namespace Byot.Tests.Deploy;

/// <summary>deploy/docker/functions-entrypoint.sh, the Functions image's entrypoint: it turns the two key values of
/// the env file into the host's file secret store (host.json) and then runs the host's start command.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FunctionsEntrypointTests : IDisposable
{
    private readonly string secrets = Path.Combine(Path.GetTempPath(), "byot-secrets-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        if (Directory.Exists(secrets))
        {
            Directory.Delete(secrets, recursive: true);
        }
    }

    [Fact]
    public async Task Keys_from_the_environment_become_the_hosts_master_and_default_keys_and_leave_the_environment()
    {
        var result = await EntrypointAsync("master-0123456789abcdef", "default-0123456789abcdef", "sh", "-c", "env");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("BYOT_FUNCTIONS_", result.Stdout, StringComparison.Ordinal);
        var file = Path.Combine(secrets, "host.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        Assert.Equal("master-0123456789abcdef", json.RootElement.GetProperty("masterKey").GetProperty("value").GetString());
        Assert.False(json.RootElement.GetProperty("masterKey").GetProperty("encrypted").GetBoolean());
        var key = Assert.Single(json.RootElement.GetProperty("functionKeys").EnumerateArray());
        Assert.Equal("default", key.GetProperty("name").GetString());
        Assert.Equal("default-0123456789abcdef", key.GetProperty("value").GetString());
    }

    [Theory]
    [InlineData("master-0123456789abcdef", "has\"quote-0123456789")]
    [InlineData("short", "default-0123456789abcdef")]
    [InlineData("master-0123456789abcdef", "")]
    public async Task Unsafe_or_missing_keys_stop_the_container_before_the_host_starts(string master, string key)
    {
        var result = await EntrypointAsync(master, key, "echo", "host started");

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("host started", result.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(secrets, "host.json")));
    }

    private Task<CommandResult> EntrypointAsync(string master, string key, params string[] command) =>
        Command.RunAsync("sh", [Repository.Path("deploy", "docker", "functions-entrypoint.sh"), .. command], environment: new Dictionary<string, string?>
        {
            ["AzureWebJobsSecretStorageType"] = "files",
            ["FUNCTIONS_SECRETS_PATH"] = secrets,
            ["BYOT_FUNCTIONS_MASTER_KEY"] = master,
            ["BYOT_FUNCTIONS_DEFAULT_KEY"] = key,
        });
}
