using Byot.Shared.Health;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Byot.Functions.Http;

/// <summary>Liveness of BYOT's dependencies, open to load balancers and uptime checks.</summary>
public sealed class HealthFunctions(HealthService health)
{
    [Function("Health")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync(cancellationToken);
        var body = new { status = report.Healthy ? "ok" : "down", checks = report.Checks };
        return new ObjectResult(body) { StatusCode = report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable };
    }
}
