using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Byot.Shared.Faults;
using Byot.Shared.Options;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Byot.Shared.Alerts;

/// <summary>The HTTP side of the channels: one pooled client, a per-attempt timeout and a few quick retries (Polly),
/// and the classification of answers into sent, retry later (429, 5xx, timeout, network) and failed (other 4xx).</summary>
public sealed class AlertHttp : IDisposable
{
    private const int MaxErrorBodyChars = 500;

    private readonly HttpClient client;
    private readonly AlertDeliveryOptions delivery;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<TimeSpan, ResiliencePipeline<HttpResponseMessage>> pipelines = new();

    public AlertHttp(IOptions<AlertingOptions> options, TimeProvider time)
    {
        this.time = time;
        delivery = options.Value.Delivery;
        client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("BYOT", "1.0"));
    }

    public async Task<DeliveryResult> PostJsonAsync(
        string url, byte[] body, IReadOnlyList<(string Name, string Value)> headers, AlertChannelOptions channel, CancellationToken cancellationToken)
    {
        var pipeline = pipelines.GetOrAdd(TimeSpan.FromSeconds(channel.TimeoutSeconds ?? delivery.TimeoutSeconds), Pipeline);
        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                foreach (var (name, value) in headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            }, cancellationToken);
        }
        catch (TimeoutRejectedException)
        {
            return DeliveryResult.Transient(null, $"No answer within {channel.TimeoutSeconds ?? delivery.TimeoutSeconds} s.");
        }
        catch (HttpRequestException e)
        {
            return DeliveryResult.Transient(null, "Request failed: " + e.Message);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return DeliveryResult.Sent(status);
            }

            var text = await ReadStartAsync(response, cancellationToken);
            var error = $"{status} {response.ReasonPhrase}: {(text.Length > MaxErrorBodyChars ? text[..MaxErrorBodyChars] + "…" : text)}".TrimEnd(' ', ':');
            return HttpFaults.IsTransient(response.StatusCode)
                ? DeliveryResult.Transient(status, error, RetryAfter(response))
                : DeliveryResult.Permanent(status, error);
        }
    }

    public void Dispose() => client.Dispose();

    /// <summary>The start of an error body: enough to say why, without reading a huge error page whole.</summary>
    private static async Task<string> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxErrorBodyChars * 4];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
            {
                read += n;
            }

            return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return "(the error body could not be read: " + e.Message + ")";
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow(),
            _ => null,
        };

    private ResiliencePipeline<HttpResponseMessage> Pipeline(TimeSpan timeout)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (delivery.InProcessRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = delivery.InProcessRetries,
                Delay = TimeSpan.FromMilliseconds(delivery.InProcessRetryDelayMilliseconds),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => HttpFaults.IsTransient(r.StatusCode)),
            });
        }

        return builder.AddTimeout(timeout).Build();
    }
}
