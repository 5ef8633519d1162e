using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Security;

/// <summary>/artifacts has a size limit and /app is the test's read-only bundle (docs/security.md, "Starving the
/// platform"): a test that writes past the limit is stopped at once and fails with a line naming the limit and its
/// setting, instead of filling the engine's disk. On this machine the Runner watches the volumes (the default); engine quotas need XFS project quotas, which
/// this kernel lacks, so here the engine must refuse them with its reason.</summary>
public sealed class VolumeLimitTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    private static Dictionary<string, string?> Limits(string? quota = null) => new()
    {
        ["Byot:Runner:ArtifactsVolumeMb"] = "16",
        ["Byot:Runner:InfraRetryDelaySeconds"] = "0",
        ["Byot:Runner:VolumeQuota"] = quota,
    };

    [Fact]
    public async Task Writing_past_the_artifacts_limit_stops_the_test_and_fails_it_naming_the_limit()
    {
        await using var kit = await RunnerKit.StartAsync(environment, Limits());

        var (runId, run) = await kit.RunAsync(
            RunnerKit.Shell("echo writing; dd if=/dev/zero of=/artifacts/big bs=1M count=40 2>&1; sleep 60; echo survived"),
            ("timeout", "120"));

        Assert.Equal("failed", run.GetProperty("status").GetString());
        var error = run.GetProperty("error").GetString();
        Assert.Contains("more than 16 MiB to /artifacts", error, StringComparison.Ordinal);
        Assert.Contains("Byot:Runner:ArtifactsVolumeMb", error, StringComparison.Ordinal);
        var log = await kit.LogAsync(runId);
        Assert.Contains("writing", log, StringComparison.Ordinal);
        Assert.Contains(error!, log, StringComparison.Ordinal);
        Assert.DoesNotContain("survived", log, StringComparison.Ordinal);
        await RunnerKit.AssertCleanedUpAsync(runId);
    }

    [Fact]
    public async Task The_app_volume_is_not_writable_by_the_test_so_the_bundle_limit_bounds_it()
    {
        await using var kit = await RunnerKit.StartAsync(environment, Limits());

        var (runId, run) = await kit.RunAsync(RunnerKit.Shell("if (echo x > /app/scratch) 2>/dev/null; then echo wrote-app; else echo refused-app; fi"));

        Assert.Equal("passed", run.GetProperty("status").GetString());
        var log = await kit.LogAsync(runId);
        Assert.Contains("refused-app", log, StringComparison.Ordinal);
        Assert.DoesNotContain("wrote-app", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flood_of_empty_files_counts_against_the_limit()
    {
        await using var kit = await RunnerKit.StartAsync(environment, Limits());

        // 10,000 empty files are 40 MiB of blocks and inodes, though no byte of content.
        var (_, run) = await kit.RunAsync(
            RunnerKit.Shell("i=0; while [ $i -lt 10000 ]; do : > /artifacts/f$i; i=$((i+1)); done; sleep 60; echo survived"),
            ("timeout", "120"));

        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Contains("more than 16 MiB to /artifacts", run.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writing_under_the_limits_passes_and_keeps_the_artifact()
    {
        await using var kit = await RunnerKit.StartAsync(environment, Limits());

        var (runId, run) = await kit.RunAsync(
            RunnerKit.Shell("dd if=/dev/zero of=/artifacts/small bs=1M count=4 2>&1; sleep 2"));

        Assert.Equal("passed", run.GetProperty("status").GetString());
        var kept = await environment.ScalarAsync("SELECT count(*) FROM run_artifacts WHERE run_id = @run AND path = 'small'", ("run", runId));
        Assert.Equal(1L, kept);
    }

    [Fact]
    public async Task Engine_quotas_on_an_engine_without_them_end_infra_error_with_the_engines_reason()
    {
        Assert.False(await EngineHasVolumeQuotasAsync(), "This engine has XFS project quotas: extend this test to prove the hard limit (dd must fail with ENOSPC).");
        await using var kit = await RunnerKit.StartAsync(environment, Limits("Engine"));

        var (runId, run) = await kit.RunAsync(RunnerKit.Shell("echo never"));

        Assert.Equal("infra_error", run.GetProperty("status").GetString());
        Assert.Contains("quota", run.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("never", await kit.LogAsync(runId), StringComparison.Ordinal);
        Assert.Equal(0, await RunnerKit.LeftoversAsync(runId));
    }

    private static async Task<bool> EngineHasVolumeQuotasAsync()
    {
        var name = $"byot-quota-probe-{Guid.NewGuid():N}";
        var (exitCode, _, errors) = await DockerCli.RunAsync("volume", "create", "--label", "byot.managed=true", "-o", "size=16m", name);
        if (exitCode != 0)
        {
            Assert.Contains("no quota support", errors, StringComparison.Ordinal);
            return false;
        }

        await RunnerKit.DockerAsync("volume", "rm", name);
        return true;
    }
}
