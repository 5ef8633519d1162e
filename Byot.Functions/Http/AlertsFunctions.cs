using Byot.Shared.Alerts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Byot.Functions.Http;

/// <summary>A test's alerting: its policy, whether it is flaky, its streaks, and its incidents with what was sent.</summary>
public sealed class AlertsFunctions(AlertQueryService alerts)
{
    [Function("GetTestAlerts")]
    public async Task<IActionResult> GetTestAlerts(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "tests/{id}/alerts")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        new OkObjectResult(await alerts.GetAsync(id, cancellationToken));

    [Function("UpdateTestAlerts")]
    public async Task<IActionResult> UpdateTestAlerts(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = "tests/{id}/alerts")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var patch = await JsonBody.ReadAsync(request, cancellationToken);
        return new OkObjectResult(await alerts.UpdatePolicyAsync(id, patch, cancellationToken));
    }
}
