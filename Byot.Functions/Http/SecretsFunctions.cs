using System.Text;
using System.Text.Json;
using Byot.Shared.Problems;
using Byot.Shared.Secrets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Byot.Functions.Http;

/// <summary>A test's secrets: write-only values, listable names.</summary>
public sealed class SecretsFunctions(SecretService secrets)
{
    [Function("PutSecret")]
    public async Task<IActionResult> Put(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "tests/{id}/secrets/{name}")] HttpRequest request,
        string id,
        string name,
        CancellationToken cancellationToken)
    {
        var value = await ReadValueAsync(request, cancellationToken);
        await secrets.PutAsync(RouteId.Test(id), name, value, cancellationToken);
        return new NoContentResult();
    }

    [Function("ListSecrets")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "tests/{id}/secrets")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        new OkObjectResult(await secrets.ListAsync(RouteId.Test(id), cancellationToken));

    [Function("DeleteSecret")]
    public async Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "tests/{id}/secrets/{name}")] HttpRequest request,
        string id,
        string name,
        CancellationToken cancellationToken)
    {
        await secrets.DeleteAsync(RouteId.Test(id), name, cancellationToken);
        return new NoContentResult();
    }

    /// <summary>The value is the raw body (text/plain), or <c>{"value": "…"}</c> when the body is JSON.</summary>
    private static async Task<string> ReadValueAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = new byte[SecretService.MaxValueBytes + 64 + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        if (length == buffer.Length)
        {
            throw Problem.InvalidField("value", $"A secret value must be at most {SecretService.MaxValueBytes} bytes.");
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(buffer, 0, length);
        }
        catch (DecoderFallbackException)
        {
            throw Problem.InvalidField("value", "A secret value must be UTF-8 text.");
        }

        if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return text;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : throw Problem.InvalidField("value", "Send {\"value\": \"…\"} as JSON, or the raw value as text/plain.");
        }
        catch (JsonException e)
        {
            throw Problem.BadRequest("Malformed JSON", "The body is not valid JSON: " + e.Message);
        }
    }
}
