using Amazon.Runtime;
using Azure;

namespace Byot.Shared.Artifacts;

/// <summary>What object storage faults mean, for either backend's SDK.</summary>
public static class StorageFaults
{
    /// <summary>Storage unreachable or overloaded: worth another try. A 4xx (a missing container or bucket, a log
    /// that does not have the length we wrote) is not.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        AmazonServiceException s => (int)s.StatusCode is 0 or 408 or 429 or >= 500,
        AmazonClientException c => c.InnerException is null || IsTransient(c.InnerException),
        HttpRequestException or IOException or TimeoutException => true,
        AggregateException a => a.InnerExceptions.All(IsTransient),
        _ => false,
    };

    /// <summary>Any answer (or silence) of the storage service, transient or not: an infrastructure fault, never the test's.</summary>
    public static bool IsStorageFault(Exception e) => e is RequestFailedException or AmazonServiceException or AmazonClientException;
}
