using System.Globalization;
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
        var text = request.Query["count"].ToString();
        var count = text.Length == 0 ? DefaultCount
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1;
        return new OkObjectResult(await slots.NextAsync(id, count, cancellationToken));
    }
}
