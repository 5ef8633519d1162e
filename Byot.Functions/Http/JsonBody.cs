using System.Text.Json;
using Byot.Shared.Options;
using Byot.Shared.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Byot.Functions.Http;

/// <summary>The one reader of JSON request bodies. The body is bounded before it is parsed (Byot:Api:MaxJsonBodyBytes,
/// 413 beyond it), and malformed JSON is the client's error (400), not a 500.</summary>
internal static class JsonBody
{
    public static async Task<JsonElement> ReadAsync(HttpRequest request, CancellationToken cancellationToken) =>
        await TryReadAsync(request, cancellationToken) ?? throw Problem.BadRequest("Empty body", "The request needs a JSON object as its body.");

    /// <summary>Null when the request has no body at all (a bodiless POST is allowed where the body is optional).</summary>
    public static async Task<JsonElement?> TryReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = request.HttpContext.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxJsonBodyBytes;
        if (request.ContentLength > limit)
        {
            throw Problem.BodyTooLarge(limit);
        }

        var bytes = await ReadBoundedAsync(request.Body, limit, cancellationToken);
        if (bytes.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw Problem.BadRequest("Malformed JSON", "The body is not valid JSON: " + e.Message);
        }
    }

    // Content-Length may be absent (chunked) or lie, so the count is of bytes actually read.
    private static async Task<ReadOnlyMemory<byte>> ReadBoundedAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw Problem.BodyTooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
