using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Byot.Runner.Containers;
using Byot.Runner.Options;
using Byot.Shared.Storage;
using Byot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Byot.Tests.Security;

/// <summary>The escape, past upload: a hostile bundle stored without the upload's checks is refused again by the
/// Runner (failed once, no container), and even a hostile tree the engine did unpack sees nothing of the host through
/// /artifacts, which is its own volume. Real engine, real containers.</summary>
public sealed class RunnerEscapeTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private RunnerKit kit = null!;

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment);

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Theory]
    [InlineData("chain.tar.gz", "without '..'")]
    [InlineData("chain.zip", "without '..'")]
    public async Task Chain_stored_behind_the_uploads_back_is_refused_by_the_runner_once_without_a_container(string fileName, string hint)
    {
        var good = fileName.EndsWith(".zip", StringComparison.Ordinal)
            ? HostileBundles.Zip(HostileBundles.File("run", "#!/bin/sh\necho hi\n"))
            : Bundles.TarGz(Bundles.File("run", "#!/bin/sh\necho hi\n", Bundles.Executable));
        var testId = await kit.UploadAsync(good, fileName: fileName);
        var hostile = fileName.EndsWith(".zip", StringComparison.Ordinal) ? HostileBundles.ChainZip() : HostileBundles.ChainTarGz();
        await ReplaceArtifactAsync(testId, hostile);

        var runId = await kit.Api.RunNowOkAsync(testId);
        var run = await kit.Api.WaitForFinalAsync(runId);

        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Equal(1, run.GetProperty("attempt").GetInt32());
        var error = run.GetProperty("error").GetString();
        Assert.Contains("bundle was refused", error, StringComparison.Ordinal);
        Assert.Contains(hint, error, StringComparison.Ordinal);
        Assert.Contains(hint, await kit.LogAsync(runId), StringComparison.Ordinal);
        Assert.Equal(0, await RunnerKit.LeftoversAsync(runId));
    }

    [Fact]
    public async Task Links_a_test_leaves_in_artifacts_are_not_followed_by_the_collector()
    {
        var (runId, run) = await kit.RunAsync(RunnerKit.Shell("""
            echo kept > /artifacts/out.txt
            ln -s /etc/passwd /artifacts/passwd
            ln -s / /artifacts/root
            ln -s .. /artifacts/up
            """));

        Assert.Equal("passed", run.GetProperty("status").GetString());
        var listed = await kit.Client.Services.GetRequiredService<RunStore>().ListArtifactsAsync(runId, CancellationToken.None);
        Assert.Equal(["out.txt"], listed.Select(a => a.Path));
        await RunnerKit.AssertCleanedUpAsync(runId);
    }

    [Fact]
    public async Task A_hostile_tree_unpacked_by_the_engine_reaches_nothing_of_the_host()
    {
        var secret = $"byot-host-secret-{Guid.NewGuid():N}";
        var content = $"content-{Guid.NewGuid():N}";
        var hostFile = Path.Combine("/tmp", secret);
        var escaped = Path.Combine("/tmp", secret + "-escaped");
        await File.WriteAllTextAsync(hostFile, content);
        var appTar = Path.Combine(Path.GetTempPath(), $"byot-sec-{Guid.NewGuid():N}.tar");
        await File.WriteAllBytesAsync(appTar, HostileBundles.ChainTar(replaceArtifacts: false));
        var name = $"byot-sec-{Guid.NewGuid():N}";
        using var engine = new DockerContainerEngine(Microsoft.Extensions.Options.Options.Create(new RunnerOptions()), TimeProvider.System);
        var spec = new ContainerSpec(
            name, RunnerHost.BusyboxImage,
            ["/bin/sh", "-c", $"""
                ls -la /app/a/b/c/d/e/ 2>&1 | head -5
                cat /app/a/b/c/d/e/tmp/{secret} 2>&1
                echo leaked > /app/a/b/c/d/e/tmp/{secret}-escaped && echo "wrote through the chain"
                find / -xdev -name '{secret}*' 2>/dev/null | sed 's/^/found /'
                grep ' /artifacts ' /proc/self/mountinfo | sed 's/^/mount /'
                echo artifact > /artifacts/out.txt && echo "artifacts writable"
                """],
            new Dictionary<string, string>(), new Dictionary<string, string> { [ContainerLabels.Managed] = "true", [ContainerLabels.Run] = name },
            appTar, "65533:65533", 64L << 20, 1_000_000_000, 64, 8, "none");
        var output = new CapturedOutput();
        ContainerHandle? handle = null;
        try
        {
            handle = await engine.CreateAsync(spec, CancellationToken.None);
            var exit = await (await engine.StartAsync(handle, output, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(1), CancellationToken.None)).Exited;

            var text = output.Text;
            Assert.True(exit.ExitCode == 0, text);
            Assert.DoesNotContain(content, text, StringComparison.Ordinal);
            Assert.DoesNotContain("found /", text, StringComparison.Ordinal);
            Assert.False(File.Exists(escaped), "a file written through the link chain landed on the host's /tmp");
            Assert.Contains($"/volumes/{name}-artifacts/_data /artifacts ", text, StringComparison.Ordinal);
            Assert.Contains("artifacts writable", text, StringComparison.Ordinal);
            await using var archive = await engine.OpenArtifactsAsync(handle, CancellationToken.None);
            Assert.NotNull(archive);
            var names = new List<string>();
            await using (var tar = new TarReader(archive))
            {
                while (await tar.GetNextEntryAsync() is { } entry)
                {
                    names.Add(entry.Name);
                }
            }

            Assert.Contains("./out.txt", names);
        }
        finally
        {
            if (handle is not null)
            {
                await engine.RemoveAsync(handle, CancellationToken.None);
            }

            File.Delete(hostFile);
            File.Delete(escaped);
            File.Delete(appTar);
        }
    }

    [Fact]
    public async Task The_engine_refuses_a_chain_that_replaces_the_artifacts_mount_and_leaves_nothing()
    {
        var appTar = Path.Combine(Path.GetTempPath(), $"byot-sec-{Guid.NewGuid():N}.tar");
        await File.WriteAllBytesAsync(appTar, HostileBundles.ChainTar(replaceArtifacts: true));
        var name = $"byot-sec-{Guid.NewGuid():N}";
        using var engine = new DockerContainerEngine(Microsoft.Extensions.Options.Options.Create(new RunnerOptions()), TimeProvider.System);
        var spec = new ContainerSpec(
            name, RunnerHost.BusyboxImage, ["/bin/true"], new Dictionary<string, string>(),
            new Dictionary<string, string> { [ContainerLabels.Managed] = "true", [ContainerLabels.Run] = name },
            appTar, "65533:65533", 64L << 20, 1_000_000_000, 64, 8, "none");
        try
        {
            // /artifacts is a volume mounted where the link would go: the engine cannot replace it, whatever the tar says.
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => engine.CreateAsync(spec, CancellationToken.None));

            Assert.True(refused is ContainerEngineException or ContainerRefusedException, refused.ToString());
            Assert.Contains("/app/.artifacts", refused.Message, StringComparison.Ordinal);
            Assert.Empty((await RunnerKit.DockerAsync("ps", "-aq", "--filter", $"name={name}")).Trim());
            Assert.Empty((await RunnerKit.DockerAsync("volume", "ls", "-q", "--filter", $"name={name}")).Trim());
        }
        finally
        {
            File.Delete(appTar);
        }
    }

    private async Task ReplaceArtifactAsync(Guid testId, byte[] bytes)
    {
        var blobName = $"{testId:D}/v1/artifact";
        await environment.Blobs.GetBlobContainerClient(environment.ArtifactsContainer).GetBlobClient(blobName).UploadAsync(new BinaryData(bytes), overwrite: true);
        await environment.ScalarAsync(
            "WITH u AS (UPDATE test_artifacts SET sha256 = @sha, size_bytes = @size WHERE test_id = @id RETURNING 1) SELECT count(*) FROM u",
            ("sha", Convert.ToHexStringLower(SHA256.HashData(bytes))), ("size", (long)bytes.Length), ("id", testId));
    }

    private sealed class CapturedOutput : IOutputSink
    {
        private readonly MemoryStream buffer = new();

        public string Text => Encoding.UTF8.GetString(buffer.ToArray());

        public ValueTask WriteAsync(OutputStream stream, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            buffer.Write(data.Span);
            return ValueTask.CompletedTask;
        }
    }
}
