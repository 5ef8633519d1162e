using Azure;

namespace Byot.Shared.Storage;

/// <summary>The one rule for Blob and Queue storage failures: which are worth another try (unreachable, throttled,
/// 5xx) and which are storage faults at all (not the caller's bug). A 4xx such as a missing container or a failed
/// precondition is a storage fault but not transient.</summary>
public static class AzureStorageFaults
{
    public static bool IsTransient(Exception e) => e switch
    {
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        HttpRequestException or IOException or TimeoutException => true,

        // The SDK reports a request whose own retries all failed (storage unreachable) as an AggregateException.
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsTransient),
        _ => false,
    };

    /// <summary>Any failure of the storage service or of the way to it, transient or not.</summary>
    public static bool IsFault(Exception e) => e switch
    {
        RequestFailedException => true,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsFault),
        _ => IsTransient(e),
    };
}
