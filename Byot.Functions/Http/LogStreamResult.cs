using System.Globalization;
using System.Text;
using System.Text.Json;
using Byot.Shared.Runs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Byot.Functions.Http;

/// <summary>Streams a run's log as it grows. With <c>Accept: text/event-stream</c> each line is a Server-Sent
/// Event whose id is the byte offset after it, so a client resumes with Last-Event-ID across reconnects without
/// gaps or repeats; the run's end is an <c>end</c> event carrying the run. Otherwise plain text lines, closed by one
/// <c>[byot] run … finished</c> line, or, when the response's time budget runs out first, by one <c>[byot]</c> line
/// giving the byte offset and the URL to resume from. Holds a follow place until the stream ends.</summary>
internal sealed class LogStreamResult(IAsyncEnumerable<LogEvent> events, Guid runId, bool serverSentEvents, FollowLease lease, TimeProvider time) : IActionResult
{
    private const int BatchChars = 64 * 1024;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task ExecuteResultAsync(ActionContext context)
    {
        using (lease)
        {
            var response = context.HttpContext.Response;
            var cancellationToken = context.HttpContext.RequestAborted;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = serverSentEvents ? "text/event-stream; charset=utf-8" : "text/plain; charset=utf-8";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            response.Headers["X-Byot-Run-Id"] = runId.ToString("D");
            await response.StartAsync(cancellationToken);

            // Lines already in the blob (a reconnect, a finished run, a 100,000-line log) go out in large writes; a
            // line is held back only while the next one is at hand: whenever the follower has to wait, what is
            // buffered is sent.
            var pending = new StringBuilder();
            await using var enumerator = events.GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                var next = enumerator.MoveNextAsync();
                if (!next.IsCompleted && pending.Length > 0)
                {
                    await SendAsync(response, pending, cancellationToken);
                }

                if (!await next)
                {
                    break;
                }

                pending.Append(serverSentEvents ? Sse(enumerator.Current) : Plain(enumerator.Current));
                if (pending.Length >= BatchChars)
                {
                    await SendAsync(response, pending, cancellationToken);
                }
            }

            if (pending.Length > 0)
            {
                await SendAsync(response, pending, cancellationToken);
            }
        }
    }

    private static async Task SendAsync(HttpResponse response, StringBuilder pending, CancellationToken cancellationToken)
    {
        await response.WriteAsync(pending.ToString(), Encoding.UTF8, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
        pending.Clear();
    }

    /// <summary>Where a follow that stopped at <paramref name="offset"/> picks up again.</summary>
    public static string ResumeUrl(Guid runId, long offset) =>
        string.Create(CultureInfo.InvariantCulture, $"{RunLinks.For(runId).Logs}?follow=true&offset={offset}");

    private static string Sse(LogEvent e) => e switch
    {
        { IsEnd: true } => string.Create(CultureInfo.InvariantCulture, $"id: {e.Offset}\nevent: end\ndata: {JsonSerializer.Serialize(e.Finished, Json)}\n\n"),

        // A comment: SSE clients ignore it and reconnect with the Last-Event-ID they already hold.
        { IsPause: true } => string.Create(CultureInfo.InvariantCulture, $": follow time is up at byte {e.Offset}; reconnect with Last-Event-ID\n\n"),
        _ => string.Create(CultureInfo.InvariantCulture, $"id: {e.Offset}\ndata: {e.Line}\n\n"),
    };

    private string Plain(LogEvent e)
    {
        if (e.IsPause)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{Now()} [byot] follow time is up at byte offset {e.Offset}; run {runId:D} is still {e.Paused}. Resume with GET {ResumeUrl(runId, e.Offset)}\n");
        }

        if (!e.IsEnd)
        {
            return e.Line + "\n";
        }

        var run = e.Finished!;
        var exit = run.ExitCode is { } code ? string.Create(CultureInfo.InvariantCulture, $" (exit {code})") : "";
        return $"{Now()} [byot] run {run.Id:D} finished: {run.Status}{exit}\n";
    }

    private string Now() => time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
