using Byot.Shared.Domain;
using Byot.Shared.Runs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Byot.Functions.Http;

/// <summary>The run resource: start one now, read its state and its log.</summary>
public sealed class RunsFunctions(RunService runs, LogFollower follower, TimeProvider time)
{
    private const int DefaultPageSize = 50;

    [Function("RunNow")]
    public async Task<IActionResult> RunNow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "run/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var follow = FollowRequest.From(request);
        using var lease = follow.Follow ? follower.Enter() : null;
        var body = await JsonBody.TryReadAsync(request, cancellationToken);
        var result = await runs.RunNowAsync(RouteId.Test(id), body, cancellationToken);
        var (run, queued) = result;
        var view = RunView.From(run) with { Runs = [.. result.Runs.Select(RunView.From)] };
        if (follow.Follow)
        {
            // Like the original synchronous run: the output streams back while the test runs.
            request.HttpContext.Response.Headers.Location = RunLinks.For(run.Id).Self;
            return new LogStreamResult(follower.FollowAsync(run.Id, 0, cancellationToken), run.Id, follow.ServerSentEvents, Keep(lease!), time);
        }

        // A run of this test was already waiting: it is the answer, and nothing new was queued.
        return queued
            ? new AcceptedResult(RunLinks.For(run.Id).Self, view)
            : new OkObjectResult(view);
    }

    [Function("GetRun")]
    public async Task<IActionResult> GetRun(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}")] HttpRequest request,
        string runId,
        CancellationToken cancellationToken) =>
        new OkObjectResult(RunView.From(await runs.GetAsync(RouteId.Run(runId), cancellationToken)));

    [Function("GetRunLogs")]
    public async Task<IActionResult> GetRunLogs(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}/logs")] HttpRequest request,
        string runId,
        CancellationToken cancellationToken)
    {
        var follow = FollowRequest.From(request);
        if (follow.Follow)
        {
            using var lease = follower.Enter();
            var followed = await runs.GetAsync(RouteId.Run(runId), cancellationToken);
            return new LogStreamResult(follower.FollowAsync(followed.Id, follow.Offset, cancellationToken), followed.Id, follow.ServerSentEvents, Keep(lease), time);
        }

        var (run, log) = await runs.OpenLogAsync(RouteId.Run(runId), follow.Offset, cancellationToken);
        request.HttpContext.Response.Headers["X-Byot-Run-Status"] = run.Status.ToName();
        return new FileStreamResult(log, "text/plain; charset=utf-8");
    }

    [Function("GetTestRuns")]
    public async Task<IActionResult> GetTestRuns(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "tests/{id}/runs")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var limit = QueryNumber.Parse(request, "limit", DefaultPageSize);
        var cursor = request.Query["cursor"].ToString();
        return new OkObjectResult(await runs.HistoryAsync(RouteId.Test(id), limit, cursor.Length == 0 ? null : cursor, cancellationToken, request.Query["location"].ToString()));
    }

    [Function("GetTestStats")]
    public async Task<IActionResult> GetTestStats(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "tests/{id}/stats")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        new OkObjectResult(await runs.StatsAsync(RouteId.Test(id), cancellationToken, request.Query["location"].ToString()));

    /// <summary>Hands the follow place to the stream, which gives it back when it ends; until then a refusal on the
    /// way (a bad id, a full queue) gives it back at once.</summary>
    private static FollowLease Keep(FollowLease lease) => lease.Transfer();
}
