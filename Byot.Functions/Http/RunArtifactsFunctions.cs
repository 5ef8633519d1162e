using Byot.Shared.Runs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Byot.Functions.Http;

/// <summary>The files a run kept from /artifacts: the list, and each file (images inline, the rest as downloads).</summary>
public sealed class RunArtifactsFunctions(RunArtifactService artifacts)
{
    [Function("ListRunArtifacts")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}/artifacts")] HttpRequest request,
        string runId,
        CancellationToken cancellationToken) =>
        new OkObjectResult(await artifacts.ListAsync(RouteId.Run(runId), cancellationToken));

    [Function("GetRunArtifact")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}/artifacts/{*path}")] HttpRequest request,
        string runId,
        string? path,
        CancellationToken cancellationToken)
    {
        var (artifact, content) = await artifacts.OpenAsync(RouteId.Run(runId), path, cancellationToken);
        var headers = request.HttpContext.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "sandbox";
        headers.CacheControl = "private, max-age=300";
        var name = artifact.Path[(artifact.Path.LastIndexOf('/') + 1)..];
        headers.ContentDisposition = new System.Net.Mime.ContentDisposition { Inline = artifact.Inline, FileName = name }.ToString();
        return new FileStreamResult(content, artifact.ContentType);
    }
}
