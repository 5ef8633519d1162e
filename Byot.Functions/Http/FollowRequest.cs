using System.Globalization;
using Byot.Shared.Problems;
using Microsoft.AspNetCore.Http;

namespace Byot.Functions.Http;

/// <summary>How a client asked to follow a log: whether at all, as SSE or plain text, and from which byte.</summary>
internal sealed record FollowRequest(bool Follow, bool ServerSentEvents, long Offset)
{
    public static FollowRequest From(HttpRequest request)
    {
        var follow = request.Query["follow"].ToString() switch
        {
            "" or "false" or "0" => false,
            "true" or "1" => true,
            var other => throw Problem.InvalidField("follow", $"'{other}' is not a boolean; use follow=true.", ["true", "false"]),
        };
        var sse = request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);
        var raw = request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } lastEventId ? lastEventId : request.Query["offset"].ToString();
        long offset = 0;
        if (raw.Length > 0 && (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset < 0))
        {
            throw Problem.InvalidField("offset", "The offset (or Last-Event-ID) must be a byte offset this API sent, a whole number ≥ 0.");
        }

        return new FollowRequest(follow, sse, offset);
    }
}
