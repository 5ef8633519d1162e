using Byot.Shared.Uploads.Direct;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Byot.Functions.Http;

/// <summary>Direct-to-storage uploads: the artifact's bytes never pass through this app (nor the Functions host,
/// which would buffer a request body whole); only the small JSON calls around them do.</summary>
public sealed class UploadsFunctions(DirectUploadService uploads)
{
    [Function("BeginTestUpload")]
    public async Task<IActionResult> BeginTestUpload(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "uploads")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var ticket = await uploads.BeginTestAsync(await JsonBody.ReadAsync(request, cancellationToken), cancellationToken);
        return new CreatedResult($"/uploads/{ticket.UploadId:D}", ticket);
    }

    [Function("BeginVersionUpload")]
    public async Task<IActionResult> BeginVersionUpload(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "tests/{id}/uploads")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(request, cancellationToken);
        var ticket = await uploads.BeginVersionAsync(RouteId.Test(id), body, cancellationToken);
        return new CreatedResult($"/uploads/{ticket.UploadId:D}", ticket);
    }

    [Function("GetUpload")]
    public async Task<IActionResult> GetUpload(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "uploads/{uploadId}")] HttpRequest request,
        string uploadId,
        CancellationToken cancellationToken) =>
        new OkObjectResult(await uploads.GetAsync(RouteId.Upload(uploadId), cancellationToken));

    [Function("CommitUpload")]
    public async Task<IActionResult> CommitUpload(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "uploads/{uploadId}/commit")] HttpRequest request,
        string uploadId,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(request, cancellationToken);
        var committed = await uploads.CommitAsync(RouteId.Upload(uploadId), body, cancellationToken);
        return committed.Replayed ? new OkObjectResult(committed) : new CreatedResult($"/tests/{committed.Id:D}", committed);
    }
}
