using System.Text.Json;
using Byot.Shared.Problems;
using Byot.Shared.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Byot.Functions.Middleware;

/// <summary>Turns any exception into an RFC 9457 application/problem+json answer; unexpected ones say nothing internal.</summary>
internal static class ProblemResults
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static ContentResult From(Exception exception, string? instance)
    {
        var problem = exception switch
        {
            ProblemException p => p,
            OperationCanceledException => new ProblemException(499, "cancelled", "Request cancelled", "The client went away before the request finished."),
            _ when PostgresFaults.IsTransient(exception) => new ProblemException(503, "database-unavailable", "Database unavailable",
                "BYOT's database did not answer (it may be restarting). Retry in a few seconds; GET /health shows when it is back."),
            _ => new ProblemException(500, "internal", "Internal error", "BYOT hit an unexpected error; it is logged. Check GET /health and try again."),
        };

        var body = new
        {
            type = "urn:byot:problem:" + problem.Code,
            title = problem.Title,
            status = problem.Status,
            detail = problem.Message,
            instance,
            field = problem.Field,
            allowed = problem.Allowed,
        };

        return new ContentResult
        {
            StatusCode = problem.Status,
            ContentType = "application/problem+json; charset=utf-8",
            Content = JsonSerializer.Serialize(body, Json),
        };
    }
}
