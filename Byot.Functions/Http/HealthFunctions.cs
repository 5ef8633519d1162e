using Byot.Shared.Health;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Byot.Functions.Http;

/// <summary>Liveness of BYOT's dependencies: terse and open to load balancers and uptime checks on <c>/health</c>;
/// with the reasons behind a function key on <c>/health/details</c> (the host checks keys, the worker cannot).</summary>
public sealed class HealthFunctions(HealthService health)
{
    [Function("Health")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync(cancellationToken);
        return Answer(report, report.States);
    }

    [Function("HealthDetails")]
    public async Task<IActionResult> Details(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "health/details")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync(cancellationToken);
        return Answer(report, report.Checks);
    }

    private static ObjectResult Answer(HealthReport report, IReadOnlyDictionary<string, string> checks) =>
        new(new { status = report.Healthy ? "ok" : "down", checks })
        {
            StatusCode = report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
        };
}
