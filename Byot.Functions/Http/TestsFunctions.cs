using Byot.Shared.Options;
using Byot.Shared.Uploads;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Byot.Functions.Http;

/// <summary>The test resource: creating a test by uploading its binary.</summary>
public sealed class TestsFunctions(UploadService uploads, IOptions<UploadOptions> options)
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
}
