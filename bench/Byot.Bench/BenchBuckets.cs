using Amazon.S3;
using Amazon.S3.Model;

namespace Byot.Bench;

/// <summary>Empties and removes a benchmark's buckets (the test S3 server keeps objects in memory).</summary>
internal static class BenchBuckets
{
    public static async Task DeleteAsync(IAmazonS3 s3, IEnumerable<string> buckets)
    {
        foreach (var bucket in buckets)
        {
            try
            {
                ListObjectsV2Response page;
                var request = new ListObjectsV2Request { BucketName = bucket };
                do
                {
                    page = await s3.ListObjectsV2Async(request);
                    if (page.S3Objects is { Count: > 0 } objects)
                    {
                        await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Objects = [.. objects.Select(o => new KeyVersion { Key = o.Key })] });
                    }

                    request.ContinuationToken = page.NextContinuationToken;
                }
                while (page.IsTruncated == true);
                await s3.DeleteBucketAsync(bucket);
            }
            catch (AmazonS3Exception)
            {
                // Already gone.
            }
        }
    }
}
