using Byot.Shared.Incidents;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Byot.Functions.Http;

/// <summary>The incident resource: list them (open and past, filtered), read one with its timeline, acknowledge one,
/// resolve one by hand.</summary>
public sealed class IncidentsFunctions(IncidentService incidents)
{
    [Function("ListIncidents")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "incidents")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        return new OkObjectResult(await incidents.ListAsync(IncidentFilterParser.Parse(query), cancellationToken));
    }

    [Function("GetIncident")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "incidents/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        new OkObjectResult(await incidents.GetAsync(RouteId.Incident(id), cancellationToken));

    [Function("AcknowledgeIncident")]
    public async Task<IActionResult> Acknowledge(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "incidents/{id}/ack")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var incidentId = RouteId.Incident(id);
        var action = IncidentActionParser.Parse(await JsonBody.TryReadAsync(request, cancellationToken), noteRequired: false);
        return new OkObjectResult(await incidents.AcknowledgeAsync(incidentId, action, cancellationToken));
    }

    [Function("ResolveIncident")]
    public async Task<IActionResult> Resolve(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "incidents/{id}/resolve")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var incidentId = RouteId.Incident(id);
        var action = IncidentActionParser.Parse(await JsonBody.TryReadAsync(request, cancellationToken), noteRequired: true);
        return new OkObjectResult(await incidents.ResolveAsync(incidentId, action, cancellationToken));
    }
}
