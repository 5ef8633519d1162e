using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Byot.Cli.Config;

namespace Byot.Cli.Api;

/// <summary>The BYOT HTTP API as the CLI uses it: the function key on every call, and every failure turned into
/// a <see cref="CliException"/> that says what to do (unreachable, wrong key, problem+json detail).</summary>
internal sealed class ByotClient : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(100);
    private readonly HttpClient http;

    public ByotClient(CliConfig config)
    {
        if (!Uri.TryCreate(config.Url.TrimEnd('/') + "/", UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            throw CliException.BadInput($"'{config.Url}' is not an http(s) URL; run `byot login --url https://<app>.azurewebsites.net`.");
        }

        BaseUrl = baseUrl;
        http = new HttpClient { BaseAddress = baseUrl, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("byot-cli", "1.0"));
        if (!string.IsNullOrEmpty(config.Key))
        {
            http.DefaultRequestHeaders.Add("x-functions-key", config.Key);
        }
    }

    public Uri BaseUrl { get; }

    public static string Escape(string segment) => Uri.EscapeDataString(segment);

    public async Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendJsonAsync(request, cancellationToken);
    }

    public async Task<JsonElement> SendJsonAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (text.Length == 0)
        {
            return default;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>A GET that answers null when the resource is gone (404 or 410) instead of failing.</summary>
    public async Task<JsonElement?> GetJsonOrNullAsync(string path, CancellationToken cancellationToken)
    {
        using var probe = new HttpRequestMessage(HttpMethod.Get, path);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DefaultTimeout);
        try
        {
            using var response = await http.SendAsync(probe, timeout.Token);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                return null;
            }
        }
        catch (HttpRequestException)
        {
            // Reported with the usual wording by the real request below.
        }

        return await GetJsonAsync(path, cancellationToken);
    }

    /// <summary>Sends and checks the status; a streamed response (<paramref name="completion"/> headers-read) has no
    /// time limit, everything else 100 s.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (completion == HttpCompletionOption.ResponseContentRead)
        {
            timeout.CancelAfter(DefaultTimeout);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, timeout.Token);
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Unreachable, $"Cannot reach the BYOT API at {BaseUrl}: {e.Message}. Check the URL (`byot login`, BYOT_URL) and your network.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unreachable, $"The BYOT API at {BaseUrl} did not answer within {DefaultTimeout.TotalSeconds:0} s.");
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ErrorAsync(request, response, cancellationToken);
        }
    }

    private static async Task<CliException> ErrorAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        string? title = null, detail = null, field = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            title = Text(root, "title");
            detail = Text(root, "detail");
            field = Text(root, "field");
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy or the Functions host answered): fall back to the status line.
        }

        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return new CliException(ExitCodes.Unauthorized, string.Create(CultureInfo.InvariantCulture,
                $"The BYOT API refused the key ({status} {response.ReasonPhrase}){(detail is null ? "" : ": " + detail)}. Run `byot login` with a valid function key, or set BYOT_KEY."));
        }

        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture, $"{request.Method} {request.RequestUri?.OriginalString} failed: {status} {title ?? response.ReasonPhrase}");
        if (detail is not null)
        {
            message.Append(": ").Append(detail);
        }

        if (field is not null)
        {
            message.Append(" (field '").Append(field).Append("')");
        }

        return new CliException(status >= 500 ? ExitCodes.Unreachable : ExitCodes.BadInput, message.ToString());
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public void Dispose() => http.Dispose();
}
