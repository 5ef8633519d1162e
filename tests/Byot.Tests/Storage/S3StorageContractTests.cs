using Byot.Shared.Artifacts;
using Byot.Shared.Options;
using Byot.Shared.Storage.S3;
using Byot.Tests.Infrastructure;
using Xunit;
using O = Microsoft.Extensions.Options.Options;

namespace Byot.Tests.Storage;

/// <summary>The storage contract on a real S3-protocol server (<see cref="S3Server"/>), in buckets of its own.</summary>
public sealed class S3StorageContractTests(S3Environment fixture) : StorageContractTests, IClassFixture<S3Environment>, IDisposable
{
    private readonly S3Clients clients = S3Server.Clients();

    private ByotEnvironment Environment => fixture.Environment;

    private StorageOptions Options => new() { ArtifactsContainer = Environment.ArtifactsContainer, LogsContainer = Environment.LogsContainer };

    protected override ArtifactStore Artifacts => new S3ArtifactStore(clients, O.Create(Options));

    protected override LogStore Logs => new S3LogStore(clients, O.Create(Options));

    protected override StagingBlobs Staging => new S3StagingBlobs(clients, O.Create(Options));

    public void Dispose() => clients.Dispose();

    [Fact]
    public async Task The_direct_upload_url_is_a_presigned_put_for_the_one_staging_key()
    {
        var url = await Staging.WriteUriAsync(StagingBlobs.NameFor(Guid.Empty), DateTimeOffset.UtcNow.AddMinutes(5), CancellationToken.None);

        Assert.Equal(StagingBlobs.S3PresignedPut, Staging.Protocol);
        Assert.EndsWith($"/{Environment.ArtifactsContainer}/staging/{Guid.Empty:N}", url.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=", url.Query, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Expires=", url.Query, StringComparison.Ordinal);
    }

    protected override async Task<IReadOnlyList<string>> LeftoversAsync(string prefix)
    {
        var open = await S3Server.OpenMultipartUploadsAsync(Environment.ArtifactsContainer);
        return [.. (await S3Server.KeysAsync(Environment.ArtifactsContainer, prefix)), .. Enumerable.Repeat("(open multipart upload)", open)];
    }

    protected override async Task PutToUploadUrlAsync(Uri url, byte[] content)
    {
        using var http = new HttpClient();
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var response = await http.PutAsync(url, body);
        Assert.True(response.IsSuccessStatusCode, $"PUT to the presigned URL answered {(int)response.StatusCode}");
    }
}
