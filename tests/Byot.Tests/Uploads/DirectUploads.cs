using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs.Specialized;
using Byot.Functions.Http;
using Xunit;

namespace Byot.Tests.Uploads;

/// <summary>The direct path as a client walks it: begin through the real function, put blocks to the returned SAS
/// URL with the Blob SDK (as any client would), commit through the real function.</summary>
public sealed class DirectUploads(FunctionsClient client)
{
    public const int BlockBytes = 4 * 1024 * 1024;

    public Task<TestResponse> BeginTestAsync(string json) =>
        client.InvokeAsync("POST", "/uploads", r => client.Function<UploadsFunctions>().BeginTestUpload(r, CancellationToken.None), Json(json), "application/json");

    public Task<TestResponse> BeginVersionAsync(string testId, string json) =>
        client.InvokeAsync("POST", $"/tests/{testId}/uploads", r => client.Function<UploadsFunctions>().BeginVersionUpload(r, testId, CancellationToken.None), Json(json), "application/json");

    public Task<TestResponse> GetAsync(string uploadId) =>
        client.InvokeAsync("GET", $"/uploads/{uploadId}", r => client.Function<UploadsFunctions>().GetUpload(r, uploadId, CancellationToken.None));

    public Task<TestResponse> CommitAsync(string uploadId, string sha256, long sizeBytes) =>
        client.InvokeAsync("POST", $"/uploads/{uploadId}/commit", r => client.Function<UploadsFunctions>().CommitUpload(r, uploadId, CancellationToken.None),
            Json(string.Create(CultureInfo.InvariantCulture, $$"""{"sha256":"{{sha256}}","sizeBytes":{{sizeBytes}}}""")), "application/json");

    public static async Task<(Guid UploadId, Guid TestId, Uri Url)> BeganAsync(Task<TestResponse> begin)
    {
        var response = await begin;
        Assert.True(response.Status == 201, response.ToString());
        var json = response.Json;
        return (json.GetProperty("uploadId").GetGuid(), json.GetProperty("testId").GetGuid(), new Uri(json.GetProperty("uploadUrl").GetString()!));
    }

    /// <summary>Put Block for each block, then Put Block List, all with nothing but the SAS URL.</summary>
    public static async Task PutAsync(Uri url, byte[] content)
    {
        await using var stream = new MemoryStream(content, writable: false);
        await PutAsync(url, stream);
    }

    public static async Task<(string Sha256, long Size)> PutAsync(Uri url, Stream content)
    {
        var blob = new BlockBlobClient(url);
        var ids = new List<string>();
        var buffer = new byte[BlockBytes];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        int filled;
        while ((filled = await content.ReadAtLeastAsync(buffer, BlockBytes, throwOnEndOfStream: false)) > 0)
        {
            var id = Convert.ToBase64String(Encoding.ASCII.GetBytes(ids.Count.ToString("D8", CultureInfo.InvariantCulture)));
            await blob.StageBlockAsync(id, new MemoryStream(buffer, 0, filled, writable: false));
            hash.AppendData(buffer, 0, filled);
            ids.Add(id);
            size += filled;
        }

        await blob.CommitBlockListAsync(ids);
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static MemoryStream Json(string json) => new(Encoding.UTF8.GetBytes(json));
}
