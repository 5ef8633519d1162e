using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Byot.Shared.Storage.S3;

/// <summary>The few S3 calls every S3 store needs, with "missing" as null rather than an exception.</summary>
internal static class S3Objects
{
    public static bool IsMissing(AmazonS3Exception e) => e.StatusCode == HttpStatusCode.NotFound;

    public static async Task<long?> LengthAsync(IAmazonS3 s3, string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            return (await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken)).ContentLength;
        }
        catch (AmazonS3Exception e) when (IsMissing(e))
        {
            return null;
        }
    }

    public static async Task DeleteAsync(IAmazonS3 s3, string bucket, string key, CancellationToken cancellationToken) =>
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key }, cancellationToken);

    /// <summary>The body of an object (or of one byte range of it); disposing the stream releases the response.</summary>
    public static async Task<Stream> OpenReadAsync(IAmazonS3 s3, string bucket, string key, CancellationToken cancellationToken, ByteRange? range = null)
    {
        var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = range }, cancellationToken);
        return new ResponseOwningStream(response);
    }

    /// <summary>Every key under <paramref name="prefix"/> after <paramref name="startAfter"/>, in key order, with sizes.</summary>
    public static async IAsyncEnumerable<(string Key, long Size)> ListAsync(
        IAmazonS3 s3, string bucket, string prefix, string? startAfter,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, StartAfter = startAfter };
        while (true)
        {
            var page = await s3.ListObjectsV2Async(request, cancellationToken);
            foreach (var o in page.S3Objects ?? [])
            {
                yield return (o.Key, o.Size ?? 0);
            }

            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken))
            {
                yield break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }
}
