using Byot.Shared.Scheduling;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Byot.Functions.Http;

/// <summary>A test's schedule and its next slots.</summary>
public sealed class ScheduleFunctions(ScheduleSlotService slots)
{
    private const int DefaultCount = 5;

    [Function("GetTestSchedule")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "tests/{id}/schedule")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var count = QueryNumber.Parse(request, "count", DefaultCount);
        return new OkObjectResult(await slots.NextAsync(RouteId.Test(id), count, cancellationToken));
    }
}
