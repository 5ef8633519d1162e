using System.Net;

namespace Byot.Shared.Faults;

/// <summary>The one rule for answers of HTTP endpoints BYOT calls (alert channels): 429, 408 and 5xx are worth another
/// try; any other 4xx will answer the same again.</summary>
public static class HttpFaults
{
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;
}
