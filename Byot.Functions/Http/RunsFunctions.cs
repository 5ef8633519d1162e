using Byot.Shared.Domain;
using Byot.Shared.Runs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Byot.Functions.Http;

/// <summary>The run resource: start one now, read its state and its log.</summary>
public sealed class RunsFunctions(RunService runs)
{
    [Function("RunNow")]
    public async Task<IActionResult> RunNow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "run/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var run = await runs.RunNowAsync(id, cancellationToken);
        return new AcceptedResult(RunLinks.For(run.Id).Self, RunView.From(run));
    }

    [Function("GetRun")]
    public async Task<IActionResult> GetRun(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}")] HttpRequest request,
        string runId,
        CancellationToken cancellationToken) =>
        new OkObjectResult(RunView.From(await runs.GetAsync(runId, cancellationToken)));

    [Function("GetRunLogs")]
    public async Task<IActionResult> GetRunLogs(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}/logs")] HttpRequest request,
        string runId,
        CancellationToken cancellationToken)
    {
        var (run, log) = await runs.OpenLogAsync(runId, offset: 0, cancellationToken);
        request.HttpContext.Response.Headers["X-Byot-Run-Status"] = run.Status.ToName();
        return new FileStreamResult(log, "text/plain; charset=utf-8");
    }
}
