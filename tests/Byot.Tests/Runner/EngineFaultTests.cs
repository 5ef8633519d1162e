using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Runner;

/// <summary>docs/reliability.md rows 19 and 20: faults that are not the test's, recorded as infra_error after bounded retries.
/// The engine is made unreachable by pointing this runner at a socket that does not exist; the shared dockerd stays up.</summary>
public sealed class EngineFaultTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private static readonly Dictionary<string, string?> FastRetry = new()
    {
        ["Byot:Runner:MaxInfraAttempts"] = "2",
        ["Byot:Runner:InfraRetryDelaySeconds"] = "0",
    };

    private RunnerKit kit = null!;

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment, startRunner: false);

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task Docker_engine_unreachable_ends_in_infra_error_after_bounded_attempts()
    {
        var settings = new Dictionary<string, string?>(FastRetry)
        {
            ["Byot:Runner:DockerEndpoint"] = $"unix:///tmp/byot-no-engine-{Guid.NewGuid():N}.sock",
        };
        await using var runner = await RunnerHost.StartAsync(environment, settings);

        var (runId, run) = await kit.RunAsync(RunnerKit.Shell("echo never"));

        Assert.Equal("infra_error", run.GetProperty("status").GetString());
        Assert.Equal(2, run.GetProperty("attempt").GetInt32());
        Assert.Contains("Docker engine", run.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("[byot] run ended with an infrastructure error", await kit.LogAsync(runId), StringComparison.Ordinal);

        // The runner keeps going: the next run is handled (and fails the same way) instead of hanging.
        var (_, next) = await kit.RunAsync(RunnerKit.Shell("echo never either"));
        Assert.Equal("infra_error", next.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Missing_image_ends_in_infra_error_naming_the_image()
    {
        var image = $"byot-local/missing-{Guid.NewGuid():N}:1";
        var settings = new Dictionary<string, string?>(FastRetry) { ["Byot:Runner:Runtimes:go:Image"] = image };
        await using var runner = await RunnerHost.StartAsync(environment, settings);

        var (runId, run) = await kit.RunAsync(RunnerKit.Shell("echo never"));

        Assert.Equal("infra_error", run.GetProperty("status").GetString());
        Assert.Equal(2, run.GetProperty("attempt").GetInt32());
        Assert.Contains(image, run.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Null(run.GetProperty("exitCode").GetString());
        await RunnerKit.AssertCleanedUpAsync(runId);
    }
}
