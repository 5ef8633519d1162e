using Byot.Shared.Options;
using Xunit;

namespace Byot.Tests.Deploy;

/// <summary>deploy/docker-compose.full.yml, validated by Debian's docker-compose (installed by
/// scripts/deploy-prereqs.sh). The images themselves cannot be built here: no base image can be pulled.</summary>
public sealed class ComposeFileTests
{
    private static readonly string ComposeFile = Repository.Path("deploy", "docker-compose.full.yml");
    private static readonly string[] ComposeExecutables = ["/usr/bin/docker-compose", "/usr/local/bin/docker-compose"];

    [Fact]
    public async Task Compose_file_with_the_example_env_file_is_valid_and_wires_the_whole_stack()
    {
        var result = await ComposeAsync(Repository.Path("deploy", "byot.env.example"), "config");
        Assert.True(result.ExitCode == 0, result.ToString());

        var services = await ComposeAsync(Repository.Path("deploy", "byot.env.example"), "config", "--services");
        Assert.True(services.ExitCode == 0, services.ToString());
        Assert.Equal(
            ["azurite", "functions", "postgres", "runner"],
            services.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));

        var config = result.Stdout;
        Assert.Contains($"FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: '{2 * new UploadOptions().MaxArtifactBytes}'", config, StringComparison.Ordinal);
        Assert.Contains($"Byot__Upload__MaxArtifactBytes: '{new UploadOptions().MaxArtifactBytes}'", config, StringComparison.Ordinal);
        Assert.Contains("condition: service_healthy", config, StringComparison.Ordinal);
        Assert.Contains("/var/run/docker.sock:/var/run/docker.sock", config, StringComparison.Ordinal);
        Assert.Contains("azurite-data:/data", config, StringComparison.Ordinal);
        Assert.Contains("dockerfile: deploy/docker/Functions.Dockerfile", config, StringComparison.Ordinal);
        Assert.Contains("dockerfile: deploy/docker/Runner.Dockerfile", config, StringComparison.Ordinal);
        // postgres, azurite and functions; the runner serves no port, and a dead runner process ends its container.
        Assert.Equal(3, CountOccurrences(config, "healthcheck:"));
    }

    [Fact]
    public async Task Compose_file_refuses_to_start_without_the_secrets_instead_of_using_defaults()
    {
        var empty = Path.Combine(Path.GetTempPath(), "byot-empty-" + Guid.NewGuid().ToString("N") + ".env");
        await File.WriteAllTextAsync(empty, "# nothing set\n");
        try
        {
            var result = await ComposeAsync(empty, "config");
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("set POSTGRES_PASSWORD in the env file", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(empty);
        }
    }

    [Fact]
    public void Example_env_file_holds_placeholders_only()
    {
        var lines = Repository.ReadText("deploy", "byot.env.example").Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var secrets = lines.Where(l => l.Contains("PASSWORD", StringComparison.Ordinal) || l.Contains("KEY", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, secrets.Count);
        Assert.All(secrets, l => Assert.Contains("=CHANGE-ME", l, StringComparison.Ordinal));
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task<CommandResult> ComposeAsync(string envFile, params string[] arguments)
    {
        var compose = ComposeExecutables.FirstOrDefault(File.Exists);
        Assert.True(compose is not null, "docker-compose is not installed: run scripts/deploy-prereqs.sh");
        return await Command.RunAsync(compose, ["--env-file", envFile, "-f", ComposeFile, .. arguments],
            environment: new Dictionary<string, string?> { ["COMPOSE_PROJECT_NAME"] = null, ["POSTGRES_PASSWORD"] = null });
    }
}
