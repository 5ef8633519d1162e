using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Byot.Cli.Api;

/// <summary>Follows a run's log over Server-Sent Events. Each event id is a byte offset, so when the server or a
/// proxy ends the response (Azure cuts at ~230 s) the follower reconnects with Last-Event-ID: no gaps, no repeats.
/// Returns the finished run from the <c>end</c> event.</summary>
internal sealed class LogFollower(ByotClient client, Action<string> line)
{
    private const int MaxIdleReconnects = 30;
    private const int MaxFailures = 5;

    public async Task<JsonElement> FollowAsync(string runId, CancellationToken cancellationToken)
    {
        long offset = 0;
        var idle = 0;
        var failures = 0;
        while (true)
        {
            var before = offset;
            try
            {
                var (end, last) = await ReadOnceAsync(runId, offset, cancellationToken);
                offset = last;
                failures = 0;
                if (end is { } finished)
                {
                    return finished;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException && failures < MaxFailures && !cancellationToken.IsCancellationRequested)
            {
                failures++;
            }
            catch (CliException e) when (e.ExitCode == ExitCodes.Unreachable && failures < MaxFailures && !cancellationToken.IsCancellationRequested)
            {
                failures++;
            }

            idle = offset == before ? idle + 1 : 0;
            if (idle > MaxIdleReconnects)
            {
                throw new CliException(ExitCodes.Unreachable, $"The log of run {runId} stopped arriving; try `byot logs {runId} --follow` again.");
            }

            if (offset == before)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private async Task<(JsonElement? End, long Offset)> ReadOnceAsync(string runId, long offset, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"runs/{ByotClient.Escape(runId)}/logs?follow=true");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (offset > 0)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", offset.ToString(CultureInfo.InvariantCulture));
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? id = null, type = null;
        var data = new StringBuilder();
        var hasData = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            if (text.Length == 0)
            {
                if (hasData)
                {
                    var eventOffset = id is not null && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : offset;
                    if (type == "end")
                    {
                        using var document = JsonDocument.Parse(data.ToString());
                        return (document.RootElement.Clone(), eventOffset);
                    }

                    line(data.ToString());
                    offset = eventOffset;
                }

                id = type = null;
                data.Clear();
                hasData = false;
                continue;
            }

            if (text.StartsWith(':'))
            {
                continue;
            }

            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? text : text[..colon];
            var value = colon < 0 ? "" : text[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    type = value;
                    break;
                case "data":
                    if (hasData)
                    {
                        data.Append('\n');
                    }

                    data.Append(value);
                    hasData = true;
                    break;
            }
        }

        return (null, offset);
    }
}
