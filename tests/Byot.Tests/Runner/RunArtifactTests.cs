using Byot.Shared.Storage;
using Byot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Byot.Tests.Runner;

/// <summary>Files a test writes to /artifacts are kept in Blob storage and listed on the run, within limits.</summary>
public sealed class RunArtifactTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private RunnerKit kit = null!;

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment, new Dictionary<string, string?> { ["Byot:Runner:MaxArtifactFiles"] = "3" });

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task Files_in_artifacts_are_uploaded_and_listed_even_when_the_test_fails()
    {
        var (runId, run) = await kit.RunAsync(RunnerKit.Shell("""
            mkdir -p /artifacts/screens
            echo '<testsuite tests="1" failures="1"/>' > /artifacts/junit.xml
            printf 'PNG-bytes' > /artifacts/screens/checkout.png
            exit 2
            """));

        Assert.Equal("failed", run.GetProperty("status").GetString());
        var listed = await kit.Client.Services.GetRequiredService<RunStore>().ListArtifactsAsync(runId, CancellationToken.None);
        Assert.Equal(["junit.xml", "screens/checkout.png"], listed.Select(a => a.Path));
        Assert.Equal([36L, 9L], listed.Select(a => a.SizeBytes));
        var container = environment.Blobs.GetBlobContainerClient(environment.ArtifactsContainer);
        var png = await container.GetBlobClient(listed[1].BlobName).DownloadContentAsync();
        Assert.Equal("PNG-bytes", png.Value.Content.ToString());
        Assert.Equal($"{runId:D}/screens/checkout.png", listed[1].BlobName);
        Assert.Contains("[byot] kept 2 file(s), 45 bytes, from /artifacts", await kit.LogAsync(runId), StringComparison.Ordinal);
        await RunnerKit.AssertCleanedUpAsync(runId);
    }

    [Fact]
    public async Task Files_past_the_limit_are_not_kept_and_the_log_says_so()
    {
        var (runId, run) = await kit.RunAsync(RunnerKit.Shell("for i in 1 2 3 4 5; do echo $i > /artifacts/f$i.txt; done"));

        Assert.Equal("passed", run.GetProperty("status").GetString());
        var listed = await kit.Client.Services.GetRequiredService<RunStore>().ListArtifactsAsync(runId, CancellationToken.None);
        Assert.Equal(3, listed.Count);
        Assert.Contains("[byot] kept 3 file(s), 6 bytes, from /artifacts; 2 more not kept", await kit.LogAsync(runId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_test_that_writes_nothing_adds_no_artifact_line()
    {
        var (runId, _) = await kit.RunAsync(RunnerKit.Shell("echo nothing to keep"));

        Assert.DoesNotContain("[byot]", await kit.LogAsync(runId), StringComparison.Ordinal);
        Assert.Empty(await kit.Client.Services.GetRequiredService<RunStore>().ListArtifactsAsync(runId, CancellationToken.None));
    }
}
