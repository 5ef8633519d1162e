using Byot.Shared.Problems;
using Byot.Shared.Status;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Byot.Functions.Http;

/// <summary>The status page for people who cannot read CI logs. Anonymous at the host; when Byot:Status:Public is
/// false the service asks for the status key instead.</summary>
public sealed class StatusFunctions(StatusService status)
{
    [Function("StatusPage")]
    public async Task<IActionResult> Page(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "status")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        Authorize(request);
        var board = await status.BoardAsync(cancellationToken);
        return new ContentResult { Content = StatusPageRenderer.Render(board), ContentType = "text/html; charset=utf-8", StatusCode = 200 };
    }

    [Function("StatusJson")]
    public async Task<IActionResult> Json(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "status.json")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        Authorize(request);
        return new OkObjectResult(await status.BoardAsync(cancellationToken));
    }

    private void Authorize(HttpRequest request)
    {
        var key = request.Headers["x-byot-status-key"].ToString() is { Length: > 0 } header ? header : request.Query["key"].ToString();
        if (!status.Allows(key.Length == 0 ? null : key))
        {
            throw new ProblemException(401, "status-key", "Status key required",
                "This status page is private: pass its key as ?key=… or the x-byot-status-key header (Byot:Status:AccessKey).");
        }
    }
}
