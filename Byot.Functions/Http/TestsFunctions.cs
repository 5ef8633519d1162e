using Byot.Shared.Options;
using Byot.Shared.Catalog;
using Byot.Shared.Uploads;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Byot.Functions.Http;

/// <summary>The test resource: create one by uploading its binary, read it, change its schedule.</summary>
public sealed class TestsFunctions(UploadService uploads, TestService tests, IOptions<UploadOptions> options)
{
    // Room for the multipart envelope and the small form fields around the file.
    private const long EnvelopeBytes = 1024 * 1024;

    [Function("UploadBinary")]
    public async Task<IActionResult> UploadBinary(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "uploadBinary")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var parts = MultipartParts.ReadAsync(request, options.Value.MaxArtifactBytes + EnvelopeBytes, cancellationToken);
        var id = await uploads.CreateTestAsync(parts, cancellationToken);
        return new CreatedResult($"/tests/{id:D}", new UploadResponse(id, "binary uploaded successfully"));
    }

    [Function("ListTests")]
    public async Task<IActionResult> ListTests(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "tests")] HttpRequest request,
        CancellationToken cancellationToken) =>
        new OkObjectResult(await tests.ListAsync(TagQuery.Parse(request), cancellationToken));

    [Function("DeleteTest")]
    public async Task<IActionResult> DeleteTest(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "tests/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        await tests.DeleteAsync(RouteId.Test(id), cancellationToken);
        return new NoContentResult();
    }

    [Function("UploadArtifactVersion")]
    public async Task<IActionResult> UploadArtifactVersion(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "tests/{id}/artifact")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var parts = MultipartParts.ReadAsync(request, options.Value.MaxArtifactBytes + EnvelopeBytes, cancellationToken);
        var version = await uploads.AddVersionAsync(RouteId.Test(id), parts, cancellationToken);
        return new CreatedResult($"/tests/{id}", new { id, artifactVersion = version, message = "artifact version uploaded successfully" });
    }

    [Function("GetTest")]
    public async Task<IActionResult> GetTest(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "tests/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        new OkObjectResult(await tests.GetAsync(RouteId.Test(id), cancellationToken));

    [Function("UpdateTest")]
    public async Task<IActionResult> UpdateTest(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = "tests/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var patch = await JsonBody.ReadAsync(request, cancellationToken);
        return new OkObjectResult(await tests.UpdateAsync(RouteId.Test(id), patch, cancellationToken));
    }
}
