using Xunit;

namespace Byot.Tests.Deploy;

/// <summary>deploy/docker-compose.s3.yml on top of the full stack, validated by Debian's docker-compose: MinIO (a
/// pinned image) holds artifacts and logs, both apps are pointed at it, and the queue stays in Azurite.</summary>
public sealed class ComposeS3VariantTests
{
    private static readonly string[] ComposeExecutables = ["/usr/bin/docker-compose", "/usr/local/bin/docker-compose"];

    [Fact]
    public async Task The_S3_variant_adds_a_pinned_MinIO_and_points_both_apps_at_it()
    {
        var env = Path.Combine(Path.GetTempPath(), "byot-s3-" + Guid.NewGuid().ToString("N") + ".env");
        await File.WriteAllTextAsync(env, Repository.ReadText("deploy", "byot.env.example")
            + "\nMINIO_ROOT_USER=byot\nMINIO_ROOT_PASSWORD=CHANGE-ME-minio-password\n");
        try
        {
            var services = await ComposeAsync(env, "config", "--services");
            Assert.True(services.ExitCode == 0, services.ToString());
            Assert.Equal(
                ["azurite", "functions", "minio", "postgres", "runner"],
                services.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));

            var config = (await ComposeAsync(env, "config")).Stdout;
            Assert.Matches(@"image: minio/minio:RELEASE\.\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z", config);
            Assert.Equal(2, Count(config, "Byot__Storage__Backend: S3"));
            Assert.Equal(2, Count(config, "Byot__Storage__S3__ServiceUrl: http://minio:9000"));
            Assert.Equal(2, Count(config, "Byot__Storage__ConnectionString: DefaultEndpointsProtocol=http;AccountName="));
            Assert.Contains("Byot__Storage__S3__PublicServiceUrl: http://127.0.0.1:9000", config, StringComparison.Ordinal);
            Assert.Contains("minio-data:/data", config, StringComparison.Ordinal);

            await File.WriteAllTextAsync(env, Repository.ReadText("deploy", "byot.env.example"));
            var refused = await ComposeAsync(env, "config");
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("set MINIO_ROOT_USER in the env file", refused.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(env);
        }
    }

    private static int Count(string text, string value) => text.Split(value).Length - 1;

    private static async Task<CommandResult> ComposeAsync(string envFile, params string[] arguments)
    {
        var compose = ComposeExecutables.FirstOrDefault(File.Exists);
        Assert.True(compose is not null, "docker-compose is not installed: run scripts/deploy-prereqs.sh");
        return await Command.RunAsync(compose,
            ["--env-file", envFile, "-f", Repository.Path("deploy", "docker-compose.full.yml"), "-f", Repository.Path("deploy", "docker-compose.s3.yml"), .. arguments],
            environment: new Dictionary<string, string?> { ["COMPOSE_PROJECT_NAME"] = null, ["POSTGRES_PASSWORD"] = null, ["MINIO_ROOT_USER"] = null });
    }
}
