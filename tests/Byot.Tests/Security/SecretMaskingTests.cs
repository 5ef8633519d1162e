using System.Text;
using System.Text.RegularExpressions;
using Byot.Runner.Containers;
using Byot.Runner.Worker;
using Byot.Shared.Artifacts;
using Byot.Shared.Options;
using Byot.Shared.Secrets;
using Byot.Shared.Storage;
using Byot.Tests.Api;
using Byot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Byot.Tests.Security;

/// <summary>Leaks: a secret printed as hex, inside a JSON string, across the 64 KiB line-chunk boundary, or into a
/// text file in /artifacts never reaches storage unmasked.</summary>
public sealed partial class SecretMaskingTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    private const string Secret = "sk_live_Zé9/\"q+";
    private static readonly SecretMasker Masker = new([Secret]);

    public static TheoryData<string> Encoded => new()
    {
        Convert.ToHexStringLower(Encoding.UTF8.GetBytes(Secret)),
        Convert.ToHexString(Encoding.UTF8.GetBytes(Secret)),
        System.Text.Json.JsonSerializer.Serialize(Secret),
        """ "sk_live_Z\u00e99/\"q+" """,
        """ "sk_live_Z\u00E99/\"q+" """,
        """ "sk_live_Z\u00e99\/\"q+" """,
        string.Concat(Secret.Select(c => $"\\u{(int)c:x4}")),
        string.Concat(Secret.Select(c => $"\\u{(int)c:X4}")),
    };

    [Theory]
    [MemberData(nameof(Encoded))]
    public void Hex_and_json_escaped_forms_are_masked(string form)
    {
        var masked = Encoding.UTF8.GetString(Masker.Apply(Encoding.UTF8.GetBytes($"token: {form} end")));

        Assert.Contains("***", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("live", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("6c697665", masked, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\\u006c", masked, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(15)]
    public async Task A_secret_straddling_the_chunk_boundary_is_masked(int bytesBeforeBoundary)
    {
        var store = new BlobLogStore(environment.Blobs, Microsoft.Extensions.Options.Options.Create(new StorageOptions { LogsContainer = environment.LogsContainer }));
        var blob = $"mask-{Guid.NewGuid():N}.log";
        await store.CreateAsync(blob, CancellationToken.None);
        var secret = Encoding.UTF8.GetBytes(Secret);
        var filler = new string('x', RunLogWriter.MaxLineChunkBytes - bytesBeforeBoundary);
        await using (var log = new RunLogWriter(store, blob, 10_000_000, TimeSpan.FromSeconds(10), TimeProvider.System, Masker))
        {
            await log.WriteAsync(OutputStream.Stdout, Encoding.UTF8.GetBytes(filler + Secret + " and more\n"), CancellationToken.None);
            await log.CompleteAsync(CancellationToken.None);
        }

        var text = await environment.ReadLogAsync(blob);
        Assert.DoesNotContain("sk_", text, StringComparison.Ordinal);
        Assert.DoesNotContain("q+", text, StringComparison.Ordinal);
        Assert.Contains("***", text, StringComparison.Ordinal);
        var content = string.Concat(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => StampAndTag().Replace(l, "")));
        Assert.Equal(filler + "*** and more", content);
        Assert.True(secret.Length < 64);
    }

    [Fact]
    public async Task Text_artifacts_are_masked_before_they_are_kept_and_binary_ones_are_left_alone()
    {
        var key = new Dictionary<string, string?> { ["Byot:Secrets:Key"] = SecretsApiTests.Key };
        await using var kit = await RunnerKit.StartAsync(environment, key);
        await using var client = new FunctionsClient(environment, key);
        var api = new ByotApi(client);
        var id = await api.UploadOkAsync(RunnerKit.Shell("""
            printf '{"token":"%s"}\n' "$API_TOKEN" > /artifacts/report.json
            printf 'token=%s\n' "$API_TOKEN" | od -An -tx1 | tr -d ' \n' > /artifacts/hex.txt
            printf 'bin\000%s' "$API_TOKEN" > /artifacts/blob.bin
            """), "go", fileName: "t.sh");
        Assert.Equal(204, (await api.PutSecretAsync(id.ToString(), "API_TOKEN", "tok_4f9a7c21e0")).Status);

        var runId = await api.RunNowOkAsync(id);
        var run = await api.WaitForFinalAsync(runId);

        Assert.Equal("passed", run.GetProperty("status").GetString());
        var listed = await client.Services.GetRequiredService<RunStore>().ListArtifactsAsync(runId, CancellationToken.None);
        var container = environment.Blobs.GetBlobContainerClient(environment.ArtifactsContainer);
        async Task<string> ReadAsync(string path) =>
            (await container.GetBlobClient(listed.Single(a => a.Path == path).BlobName).DownloadContentAsync()).Value.Content.ToString();
        Assert.Equal("{\"token\":\"***\"}\n", await ReadAsync("report.json"));
        Assert.Equal(Convert.ToHexStringLower("token="u8) + "***" + "0a", await ReadAsync("hex.txt"));
        Assert.Contains("tok_4f9a7c21e0", await ReadAsync("blob.bin"), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\S+ \[stdout\+?\] ")]
    private static partial Regex StampAndTag();
}
