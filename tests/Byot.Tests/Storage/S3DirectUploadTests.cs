using System.Security.Cryptography;
using Byot.Tests.Infrastructure;
using Byot.Tests.Uploads;
using Xunit;

namespace Byot.Tests.Storage;

/// <summary>The direct-to-storage path on the S3 backend, as a client walks it: begin through the real function (a
/// presigned PUT URL), one PUT of the whole file, commit through the real function; a wrong sha256 is refused and
/// leaves the upload open, and nothing of the refused attempt stays in the bucket.</summary>
public sealed class S3DirectUploadTests(S3Environment fixture) : IClassFixture<S3Environment>, IAsyncLifetime
{
    private FunctionsClient client = null!;
    private DirectUploads uploads = null!;

    public Task InitializeAsync()
    {
        client = new FunctionsClient(fixture.Environment);
        uploads = new DirectUploads(client);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await client.DisposeAsync();

    [Fact]
    public async Task A_presigned_put_then_commit_creates_the_test_and_a_wrong_sha256_creates_nothing()
    {
        var content = RandomNumberGenerator.GetBytes((9 * 1024 * 1024) + 3);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var begin = await uploads.BeginTestAsync($$"""{"fileName":"big.test","runtime":"go","severity":"P2","sizeBytes":{{content.Length}}}""");
        Assert.True(begin.Status == 201, begin.ToString());
        Assert.Equal("s3-presigned-put", begin.Json.GetProperty("uploadProtocol").GetString());
        var (uploadId, testId, url) = await DirectUploads.BeganAsync(Task.FromResult(begin));

        using (var http = new HttpClient())
        using (var body = new ByteArrayContent(content))
        {
            body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            using var put = await http.PutAsync(url, body);
            Assert.True(put.IsSuccessStatusCode, $"PUT answered {(int)put.StatusCode}");
        }

        var wrong = await uploads.CommitAsync(uploadId.ToString(), new string('0', 64), content.Length);
        Assert.Equal(400, wrong.Status);
        Assert.DoesNotContain(await fixture.Environment.ArtifactBlobNamesAsync(), k => k.StartsWith($"{testId:D}/", StringComparison.Ordinal));

        var commit = await uploads.CommitAsync(uploadId.ToString(), sha256, content.Length);
        Assert.True(commit.Status == 201, commit.ToString());
        Assert.Equal(testId, commit.Json.GetProperty("id").GetGuid());
        var keys = await fixture.Environment.ArtifactBlobNamesAsync();
        Assert.Single(keys, k => k.StartsWith($"{testId:D}/u", StringComparison.Ordinal));
        Assert.DoesNotContain($"staging/{uploadId:N}", keys);
    }
}
