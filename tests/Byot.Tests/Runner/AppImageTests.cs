using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Runner;

/// <summary>Bundles are baked once per version into a local image over the runtime image: /app is part of the
/// read-only root (not a per-run volume), root-owned, readable by any uid, writable by none; unused images go.</summary>
public sealed class AppImageTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    // Fails with a distinct code for each rule, so a red run says which one broke.
    private const string Checks = """
        #!/bin/sh
        if grep -q ' /app ' /proc/mounts; then echo "/app is a mount, not the image"; exit 3; fi
        if touch /app/new 2>/dev/null; then echo "/app is writable"; exit 4; fi
        if echo changed 2>/dev/null > /app/data.txt; then echo "/app/data.txt is writable"; exit 5; fi
        [ "$(stat -c %u:%g /app/run /app/data.txt /app | sort -u)" = "0:0" ] || { stat -c '%n %u:%g' /app /app/run /app/data.txt; exit 6; }
        cat /app/data.txt
        echo "ran as $(id -u)" > "$BYOT_ARTIFACTS_DIR/who.txt"
        """;

    private RunnerKit kit = null!;

    public async Task InitializeAsync() =>
        kit = await RunnerKit.StartAsync(environment, new Dictionary<string, string?> { ["Byot:Runner:User"] = "4242:4242" });

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task A_bundle_runs_from_one_baked_image_whose_app_is_root_owned_and_read_only_for_any_uid()
    {
        var testId = await kit.UploadAsync(Bundle("baked data"), fileName: "suite.tar.gz");

        for (var i = 0; i < 2; i++)
        {
            var runId = await kit.Api.RunNowOkAsync(testId);
            var run = await kit.Api.WaitForFinalAsync(runId);
            var log = await kit.LogAsync(runId);
            Assert.True(run.GetProperty("status").GetString() == "passed", log);
            Assert.Contains("[stdout] baked data", log, StringComparison.Ordinal);
            await RunnerKit.AssertCleanedUpAsync(runId);
        }

        Assert.Single(await AppImagesAsync());
    }

    [Fact]
    public async Task Least_recently_used_app_images_beyond_the_limit_are_removed()
    {
        await kit.StopRunnerAsync();
        await using var runner = await RunnerHost.StartAsync(environment, new Dictionary<string, string?>(RunnerKit.FastSettings) { ["Byot:Runner:MaxAppImages"] = "1" });
        foreach (var data in new[] { "first version", "second version" })
        {
            var testId = await kit.UploadAsync(Bundle(data), fileName: "suite.tar.gz");
            var runId = await kit.Api.RunNowOkAsync(testId);
            var run = await kit.Api.WaitForFinalAsync(runId);
            Assert.True(run.GetProperty("status").GetString() == "passed", await kit.LogAsync(runId));
        }

        var images = await AppImagesAsync(runner.RunnerId);
        Assert.Single(images);
    }

    private static byte[] Bundle(string data) => Bundles.TarGz(
        Bundles.File("run", Checks.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n", Bundles.Executable),
        Bundles.File("data.txt", data + "\n"));

    private async Task<string[]> AppImagesAsync(string? runnerId = null) =>
        (await RunnerKit.DockerAsync("images", "-q", "--filter", $"label=byot.runner={runnerId ?? kit.Runner!.RunnerId}", "--filter", "label=byot.artifact"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray();
}
