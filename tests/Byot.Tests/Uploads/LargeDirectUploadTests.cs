using Xunit;
using Xunit.Abstractions;

namespace Byot.Tests.Uploads;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasuredCollection
{
    /// <summary>Alone, so no other test's allocations land in the measured resident set.</summary>
    public const string Name = "memory measured";
}

/// <summary>A 1 GiB artifact through the direct path on real Azurite: the commit reads it all (copy, sha256, size)
/// while the worker's resident set stays within a bound far below the artifact.</summary>
[Collection(MemoryMeasuredCollection.Name)]
public sealed class LargeDirectUploadTests(ByotEnvironment environment, ITestOutputHelper output) : IClassFixture<ByotEnvironment>
{
    private const long OneGiB = 1L << 30;
    private const double BoundMb = 64;

    [Fact]
    public async Task A_1_GiB_artifact_commits_with_the_workers_memory_bounded()
    {
        await using var client = new FunctionsClient(environment);
        var direct = new DirectUploads(client);
        var (uploadId, testId, url) = await DirectUploads.BeganAsync(direct.BeginTestAsync(
            $$"""{"fileName": "big.test", "runtime": "go", "sizeBytes": {{OneGiB}}}"""));
        string sha256;
        await using (var artifact = new GeneratedArtifactStream(OneGiB, seed: 25))
        {
            (sha256, _) = await DirectUploads.PutAsync(url, artifact);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        TestResponse commit;
        double growth;
        await using (var rss = new RssSampler())
        {
            commit = await direct.CommitAsync(uploadId.ToString(), sha256, OneGiB);
            await rss.DisposeAsync();
            growth = rss.GrowthMb;
        }

        output.WriteLine($"commit of 1 GiB: resident set growth {growth:F1} MB (bound {BoundMb} MB)");
        Assert.True(commit.Status == 201, commit.ToString());
        Assert.Equal(OneGiB, await environment.ScalarAsync("SELECT size_bytes FROM test_artifacts WHERE test_id = @id", ("id", testId)));
        Assert.True(growth <= BoundMb, $"the worker's resident set grew {growth:F1} MB while committing 1 GiB; the bound is {BoundMb} MB");
    }
}
