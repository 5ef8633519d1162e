using Byot.Shared.Cases;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Byot.Functions.Http;

/// <summary>The case resource (docs/cases.md): a run's cases, a test's cases, one case's history, its quarantine.</summary>
public sealed class CasesFunctions(CaseService cases)
{
    [Function("GetRunCases")]
    public async Task<IActionResult> GetRunCases(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{runId}/cases")] HttpRequest request,
        string runId,
        CancellationToken cancellationToken)
    {
        var id = RouteId.Run(runId);
        var status = Text(request, "status");
        var limit = QueryNumber.Parse(request, "limit", CaseService.DefaultPageSize);
        return new OkObjectResult(await cases.RunCasesAsync(id, status, limit, Text(request, "cursor"), cancellationToken));
    }

    [Function("GetTestCases")]
    public async Task<IActionResult> GetTestCases(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "tests/{id}/cases")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        new OkObjectResult(await cases.TestCasesAsync(RouteId.Test(id), cancellationToken));

    [Function("GetTestCase")]
    public async Task<IActionResult> GetTestCase(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "tests/{id}/cases/{caseId}")] HttpRequest request,
        string id,
        string caseId,
        CancellationToken cancellationToken)
    {
        var testId = RouteId.Test(id);
        var limit = QueryNumber.Parse(request, "limit", 50);
        return new OkObjectResult(await cases.CaseHistoryAsync(testId, caseId, limit, Text(request, "cursor"), cancellationToken));
    }

    [Function("QuarantineTestCase")]
    public async Task<IActionResult> Quarantine(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "tests/{id}/cases/{caseId}/quarantine")] HttpRequest request,
        string id,
        string caseId,
        CancellationToken cancellationToken)
    {
        var testId = RouteId.Test(id);
        return new OkObjectResult(await cases.QuarantineAsync(testId, caseId, await JsonBody.TryReadAsync(request, cancellationToken), cancellationToken));
    }

    [Function("UnquarantineTestCase")]
    public async Task<IActionResult> Unquarantine(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "tests/{id}/cases/{caseId}/quarantine")] HttpRequest request,
        string id,
        string caseId,
        CancellationToken cancellationToken)
    {
        await cases.UnquarantineAsync(RouteId.Test(id), caseId, cancellationToken);
        return new NoContentResult();
    }

    private static string? Text(HttpRequest request, string name) =>
        request.Query[name].ToString() is { Length: > 0 } value ? value : null;
}
