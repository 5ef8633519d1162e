using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Byot.Tests.Alerts;

/// <summary>A real HTTP endpoint on 127.0.0.1 (Kestrel on a free port) standing in for PagerDuty, Slack, Teams and
/// webhooks: it records every request and answers what the test scripted for its path (default 200, PagerDuty's 202).</summary>
public sealed class HttpReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedRequest> requests = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Reply>> scripted = new(StringComparer.Ordinal);

    private HttpReceiver(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<ReceivedRequest> Requests => [.. requests];

    public static async Task<HttpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new HttpReceiver(builder.Build());
        receiver.app.Run(receiver.HandleAsync);
        await receiver.app.StartAsync();
        receiver.BaseUrl = receiver.app.Urls.Single();
        return receiver;
    }

    public string Url(string path) => BaseUrl + path;

    public IReadOnlyList<ReceivedRequest> At(string path) => [.. requests.Where(r => r.Path == path)];

    /// <summary>The next answers on <paramref name="path"/>, in order; after them the default again.</summary>
    public void Script(string path, params Reply[] replies)
    {
        var queue = scripted.GetOrAdd(path, _ => new ConcurrentQueue<Reply>());
        foreach (var reply in replies)
        {
            queue.Enqueue(reply);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var path = context.Request.Path.Value ?? "";
        requests.Enqueue(new ReceivedRequest(context.Request.Method, path, headers, buffer.ToArray(), context.Request.QueryString.Value ?? ""));

        var reply = scripted.TryGetValue(path, out var queue) && queue.TryDequeue(out var next)
            ? next
            : path.StartsWith("/pd", StringComparison.Ordinal) ? new Reply(202, """{"status":"success","message":"Event processed"}""") : new Reply(200, "ok");
        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsync(reply.Body, context.RequestAborted);
    }
}
