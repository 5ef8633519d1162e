using Byot.Shared.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;

namespace Byot.Functions.Http;

/// <summary>The dashboard: a static web app embedded in this assembly. Anonymous at the host because it holds no
/// data: every call it makes goes to this API with the function key the user enters.</summary>
public sealed class DashboardFunctions
{
    // The shell loads only its own hashed files and talks only to this origin; artifacts are shown as blob: URLs.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    [Function("Dashboard")]
    public static IActionResult Shell(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "app")] HttpRequest request) =>
        Serve(request, DashboardAssets.Shell);

    [Function("DashboardAsset")]
    public static IActionResult Asset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "app/{*path}")] HttpRequest request,
        string? path) =>
        Serve(request, string.IsNullOrEmpty(path) ? DashboardAssets.Shell : path);

    private static IActionResult Serve(HttpRequest request, string path)
    {
        var asset = DashboardAssets.Find(path) ?? throw new NotFoundException("not-found", "Unknown dashboard file",
            $"The dashboard has no file '{(path.Length > 100 ? path[..100] + "…" : path)}'. Open /app; it names its own files.");
        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = asset.CacheControl;
        headers.ETag = asset.ETag;
        headers.XContentTypeOptions = "nosniff";
        if (path == DashboardAssets.Shell)
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
        }

        var match = request.Headers.IfNoneMatch.ToString();
        if (match.Length > 0 && EntityTagHeaderValue.TryParseList([match], out var tags)
            && tags.Any(t => t.Tag == "*" || t.Compare(new EntityTagHeaderValue(asset.ETag), useStrongComparison: false)))
        {
            return new StatusCodeResult(StatusCodes.Status304NotModified);
        }

        return new FileContentResult(asset.Content, asset.ContentType);
    }
}
