using System.Text.Json;
using Byot.Shared.Problems;
using Microsoft.AspNetCore.Http;

namespace Byot.Functions.Http;

/// <summary>Reads a request body as JSON; malformed JSON is the client's error (400), not a 500.</summary>
internal static class JsonBody
{
    public static async Task<JsonElement> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw Problem.BadRequest("Malformed JSON", "The body is not valid JSON: " + e.Message);
        }
    }
}
