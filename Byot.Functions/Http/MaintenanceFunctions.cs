using Byot.Shared.Maintenance;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Byot.Functions.Http;

/// <summary>The maintenance window resource: planned work during which tests page nobody or do not run.</summary>
public sealed class MaintenanceFunctions(MaintenanceService maintenance)
{
    [Function("CreateMaintenance")]
    public async Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "maintenance")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var view = await maintenance.CreateAsync(await JsonBody.ReadAsync(request, cancellationToken), cancellationToken);
        return new CreatedResult(view.Self, view);
    }

    [Function("ListMaintenance")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "maintenance")] HttpRequest request,
        CancellationToken cancellationToken) =>
        new OkObjectResult(await maintenance.ListAsync(cancellationToken));

    [Function("GetMaintenance")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "maintenance/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        new OkObjectResult(await maintenance.GetAsync(RouteId.Maintenance(id), cancellationToken));

    [Function("UpdateMaintenance")]
    public async Task<IActionResult> Update(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = "maintenance/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var windowId = RouteId.Maintenance(id);
        return new OkObjectResult(await maintenance.UpdateAsync(windowId, await JsonBody.ReadAsync(request, cancellationToken), cancellationToken));
    }

    [Function("DeleteMaintenance")]
    public async Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "maintenance/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        await maintenance.DeleteAsync(RouteId.Maintenance(id), cancellationToken);
        return new NoContentResult();
    }
}
