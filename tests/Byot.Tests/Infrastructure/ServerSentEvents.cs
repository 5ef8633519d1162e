using System.Globalization;
using Byot.Functions.Http;

namespace Byot.Tests.Infrastructure;

/// <summary>Following a run's log as Server-Sent Events through the real function, and reading the events back.</summary>
public static class ServerSentEvents
{
    public static Task<TestResponse> FollowAsync(FunctionsClient client, string runId, string? lastEventId)
    {
        var headers = new Dictionary<string, string> { ["Accept"] = "text/event-stream" };
        if (lastEventId is not null)
        {
            headers["Last-Event-ID"] = lastEventId;
        }

        return client.InvokeAsync("GET", $"/runs/{runId}/logs?follow=true", r => client.Function<RunsFunctions>().GetRunLogs(r, runId, CancellationToken.None), requestHeaders: headers);
    }

    public static List<(long Id, string? Event, string Data)> Parse(string text) =>
        [.. text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(block =>
        {
            long id = 0;
            string? name = null;
            var data = "";
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith("id: ", StringComparison.Ordinal)) { id = long.Parse(line[4..], CultureInfo.InvariantCulture); }
                else if (line.StartsWith("event: ", StringComparison.Ordinal)) { name = line[7..]; }
                else if (line.StartsWith("data: ", StringComparison.Ordinal)) { data = line[6..]; }
            }

            return (id, name, data);
        })];
}
