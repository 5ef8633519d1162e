using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Byot.Functions.Http;

/// <summary>Serves the OpenAPI document of this API.</summary>
public sealed class OpenApiFunctions
{
    private static readonly Lazy<string> Document = new(() =>
    {
        using var stream = typeof(OpenApiFunctions).Assembly.GetManifestResourceStream("Byot.Functions.Http.openapi.json")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    [Function("OpenApi")]
    public static IActionResult Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        new ContentResult { Content = Document.Value, ContentType = "application/json; charset=utf-8", StatusCode = 200 };
}
