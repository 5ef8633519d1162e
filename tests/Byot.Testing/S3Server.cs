using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Byot.Shared.Options;
using Byot.Shared.Storage.S3;

namespace Byot.Testing;

/// <summary>The S3-protocol server scripts/services.sh starts (moto's server on 127.0.0.1:10020), or the one
/// <c>BYOT_TEST_S3</c> names. Environments make buckets of their own on it.</summary>
public static class S3Server
{
    public const string DefaultUrl = "http://127.0.0.1:10020";

    public static string Url => Environment.GetEnvironmentVariable("BYOT_TEST_S3") ?? DefaultUrl;

    public static Dictionary<string, string?> Settings(string? url = null) => new()
    {
        ["Byot:Storage:Backend"] = "S3",
        ["Byot:Storage:S3:ServiceUrl"] = url ?? Url,
        ["Byot:Storage:S3:Region"] = "us-east-1",
        ["Byot:Storage:S3:ForcePathStyle"] = "true",
        ["Byot:Storage:S3:AccessKey"] = "byot",
        ["Byot:Storage:S3:SecretKey"] = "byot-test-secret",
    };

    public static S3Clients Clients(string? url = null) =>
        new(Microsoft.Extensions.Options.Options.Create(new S3StorageOptions
        {
            ServiceUrl = url ?? Url, Region = "us-east-1", ForcePathStyle = true, AccessKey = "byot", SecretKey = "byot-test-secret",
        }));

    public static async Task<List<string>> KeysAsync(string bucket, string? prefix = null)
    {
        using var clients = Clients();
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await clients.Server.ListObjectsV2Async(request);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
        return keys;
    }

    public static async Task<int> OpenMultipartUploadsAsync(string bucket)
    {
        using var clients = Clients();
        return (await clients.Server.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket })).MultipartUploads?.Count ?? 0;
    }

    public static async Task<string> ReadLogAsync(string bucket, string blobName)
    {
        using var clients = Clients();
        var store = new S3LogStore(clients, Microsoft.Extensions.Options.Options.Create(new StorageOptions { LogsContainer = bucket }));
        await using var stream = await store.OpenReadAsync(blobName, 0, CancellationToken.None);
        if (stream is null)
        {
            return "";
        }

        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    public static async Task DeleteBucketsAsync(params string[] buckets)
    {
        using var clients = Clients();
        foreach (var bucket in buckets)
        {
            try
            {
                foreach (var batch in (await KeysAsync(bucket)).Chunk(1000))
                {
                    await clients.Server.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Objects = [.. batch.Select(k => new KeyVersion { Key = k })] });
                }

                await clients.Server.DeleteBucketAsync(bucket);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
            }
        }
    }
}
