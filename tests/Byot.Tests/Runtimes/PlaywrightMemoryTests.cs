using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Runtimes;

/// <summary>Chromium under the default 512 MiB: a page that allocates without end gets its renderer killed by the
/// memory limit while Playwright itself lives on and fails the spec. The run ends <c>oom</c> with a message that says
/// what to raise, within seconds, not at its timeout.</summary>
[Collection(PlaywrightCollection.Name)]
public sealed class PlaywrightMemoryTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    [Fact]
    public async Task A_page_that_outgrows_the_default_memory_limit_ends_oom_saying_to_raise_docker_memory_mb()
    {
        await using var kit = await RunnerKit.StartAsync(environment, PlaywrightSettings.AtDefaults());
        var root = Repository.Path("tests", "Byot.Tests", "Runtimes", "PlaywrightHog");
        var bundle = Bundles.TarGz(
            Bundles.File("package.json", await File.ReadAllTextAsync(Path.Combine(root, "package.json"))),
            Bundles.File("tests/hog.spec.ts", await File.ReadAllTextAsync(Path.Combine(root, "tests", "hog.spec.ts"))));
        var testId = await kit.UploadAsync(bundle, "playwright", "hog.tar.gz", ("timeout", "600"));
        var runId = await kit.Api.RunNowOkAsync(testId);

        var run = await kit.Api.WaitForFinalAsync(runId, TimeSpan.FromMinutes(11));
        var log = await kit.LogAsync(runId);

        Assert.True(run.GetProperty("status").GetString() == "oom", $"{run}\n{log}");
        Assert.Equal(512, (await kit.Api.GetTestAsync(testId.ToString("D"))).Json.GetProperty("memoryMb").GetInt32());
        var error = run.GetProperty("error").GetString();
        Assert.Contains("512 MiB", error, StringComparison.Ordinal);
        Assert.Contains("raise docker_memory_mb", error, StringComparison.Ordinal);
        Assert.Contains("[byot] " + error, log, StringComparison.Ordinal);
    }
}
