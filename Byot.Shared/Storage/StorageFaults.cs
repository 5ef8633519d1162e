using Amazon.Runtime;
using Azure;

namespace Byot.Shared.Storage;

/// <summary>The one rule for object storage (Blob or S3) and Queue storage failures: which are worth another try
/// (unreachable, throttled, 5xx) and which are storage faults at all (not the caller's bug). A 4xx such as a missing
/// container or bucket, or a failed precondition, is a storage fault but not transient.</summary>
public static class StorageFaults
{
    public static bool IsTransient(Exception e) => e switch
    {
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        AmazonServiceException s => (int)s.StatusCode is 0 or 408 or 429 or >= 500,
        AmazonClientException c => c.InnerException is null || IsTransient(c.InnerException),
        HttpRequestException or IOException or TimeoutException => true,

        // The SDKs report a request whose own retries all failed (storage unreachable) as an AggregateException.
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsTransient),
        _ => false,
    };

    /// <summary>Any answer (or silence) of the storage service or of the way to it, transient or not: an
    /// infrastructure fault, never the test's.</summary>
    public static bool IsFault(Exception e) => e switch
    {
        RequestFailedException or AmazonServiceException or AmazonClientException => true,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsFault),
        _ => IsTransient(e),
    };
}
